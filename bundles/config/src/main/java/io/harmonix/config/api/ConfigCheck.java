package io.harmonix.config.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One configuration of a component, checked as a whole, so that a wrong value never half-applies: every value is
 * read, every wrong one is named with its value and what was expected, and the settings are built only when none
 * is wrong. A component applies the settings of an accepted {@link Result} and keeps the ones in force otherwise
 * ({@link Result#applyOrReport}); with nothing in force yet (at activation) it does not start
 * ({@link Result#orElseThrow}) rather than run on defaults nobody chose.
 *
 * <p>Where a value comes from: a key that is absent is answered by the component's typed configuration (the
 * {@code @ObjectClassDefinition} type that DS hands to activate and modified), that is by the default declared
 * there, the one place a default is written. A key that is present is read from the component properties, strictly:
 * DS converts leniently ({@code "maybe"} is {@code false} for a boolean, and a number that does not parse only
 * fails when its accessor is called), which would let a typo pass as a setting.
 */
public final class ConfigCheck {
    private final String pid;
    private final Map<String, ?> properties;
    private final List<String> problems = new ArrayList<>();
    /** Every key a reader was asked for: the keys this component knows. */
    private final java.util.Set<String> known = new java.util.HashSet<>();

    /**
     * @param pid the configuration's PID, named in the refusal
     * @param properties the component properties, as DS hands them with the typed configuration
     */
    public ConfigCheck(String pid, Map<String, ?> properties) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.properties = Collections.unmodifiableMap(new HashMap<>(properties));
    }

    /**
     * @param declared the typed configuration's accessor of this key: its declared default when the key is absent
     * @return the whole number under {@code key}, or 0 after a problem was noted
     */
    public int wholeNumber(String key, IntSupplier declared, int min, int max) {
        return (int) wholeNumber(key, () -> declared.getAsInt(), (long) min, (long) max);
    }

    /** As {@link #wholeNumber(String, IntSupplier, int, int)}, for longs. */
    public long wholeNumber(String key, LongSupplier declared, long min, long max) {
        if (!present(key)) {
            return declared.getAsLong();
        }
        if (blank(key)) {
            return noted(key, "a whole number from " + min + " to " + max, 0L);
        }
        return ConfigValues.wholeNumber(properties, key, 0, min, max, problems);
    }

    /** @return the decimal number under {@code key} (see {@link #wholeNumber(String, IntSupplier, int, int)}) */
    public double decimal(String key, DoubleSupplier declared, double min, double max) {
        if (!present(key)) {
            return declared.getAsDouble();
        }
        if (blank(key)) {
            return noted(key, "a number from " + min + " to " + max, 0.0);
        }
        return ConfigValues.decimal(properties, key, 0, min, max, problems);
    }

    /** @return the boolean under {@code key}: {@code true} or {@code false}, nothing else */
    public boolean bool(String key, BooleanSupplier declared) {
        if (!present(key)) {
            return declared.getAsBoolean();
        }
        if (blank(key)) {
            return noted(key, "true or false", false);
        }
        return ConfigValues.bool(properties, key, false, problems);
    }

    /** @return the text under {@code key}, trimmed; blank is a problem */
    public String text(String key, Supplier<String> declared) {
        String v = string(key, declared);
        if (v.isEmpty()) {
            return noted(key, "a value", "");
        }
        return v;
    }

    /**
     * @param expected what a right value is, in words, for the problem noted when the text does not match
     * @return the text under {@code key}, trimmed
     */
    public String text(String key, Supplier<String> declared, Pattern pattern, String expected) {
        String v = string(key, declared);
        if (!pattern.matcher(v).matches()) {
            return noted(key, expected, "");
        }
        return v;
    }

    /** @return the one of {@code options} under {@code key}, in lower case (case is ignored) */
    public String oneOf(String key, Supplier<String> declared, String... options) {
        String v = string(key, declared).toLowerCase(Locale.ROOT);
        for (String o : options) {
            if (o.equals(v)) {
                return o;
            }
        }
        return noted(key, options.length == 1 ? options[0] : String.join(", ",
                List.of(options).subList(0, options.length - 1)) + " or " + options[options.length - 1], "");
    }

    /** @return the duration under {@code key} ({@link Durations}); blank is a problem */
    public Duration duration(String key, Supplier<String> declared) {
        Duration d = parsed(key, declared, Durations::parse);
        return d == null ? Duration.ZERO : d;
    }

    /**
     * @param parser reads the (trimmed) text; its {@link IllegalArgumentException} names the value and what was
     *     expected, as {@link Durations#parse} does ({@code "'10parsecs' is not a duration: expected ..."})
     * @return what {@code parser} made of the text under {@code key}, or null after a problem was noted
     */
    public <T> T parsed(String key, Supplier<String> declared, Function<String, T> parser) {
        String v = string(key, declared);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(key + " = " + e.getMessage());
            return null;
        }
    }

    /** @return the duration under {@code key}, which must be more than zero */
    public Duration positiveDuration(String key, Supplier<String> declared) {
        int before = problems.size();
        Duration d = duration(key, declared);
        if (problems.size() == before && (d.isZero() || d.isNegative())) {
            return noted(key, "a duration of more than 0", Duration.ZERO);
        }
        return d;
    }

    /** @return the duration under {@code key}, or null when it is blank (no limit, say) */
    public Duration optionalDuration(String key, Supplier<String> declared) {
        String v = string(key, declared);
        return v.isEmpty() ? null : duration(key, () -> v);
    }

    /** Notes a problem that the readers above cannot see (one value against another, a file that must exist). */
    public void problem(String key, String expected) {
        known.add(key);
        noted(key, expected, null);
    }

    /**
     * @param settings builds the settings from the values read; called only when no value was wrong
     * @return the settings, or every problem noted
     */
    public <S> Result<S> result(Supplier<S> settings) {
        List<String> warnings = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(properties.keySet())) {
            if (known.contains(key) || FRAMEWORK_KEY.matcher(key).matches()) {
                continue;
            }
            if (!KEY.matcher(key).matches()) {
                // binary garbage read as a .cfg file gives such keys: not a configuration at all
                problems.add("'" + printable(key) + "' is not a key (letters, digits, '.', '-' and '_'): is the file "
                        + "key = value lines?");
            } else {
                String closest = closest(key);
                warnings.add(pid + ": unknown key '" + key + "' ignored" + (closest == null ? ""
                        : " (did you mean '" + closest + "'?)"));
            }
        }
        return problems.isEmpty() ? new Result<>(pid, settings.get(), List.of(), warnings)
                : new Result<>(pid, null, List.copyOf(problems), warnings);
    }

    /** Keys the framework, DS and FileInstall put beside a component's own, and reference targets. */
    private static final Pattern FRAMEWORK_KEY = Pattern.compile(
            "(service|component|felix|osgi)\\..*|\\..*|.*\\.target");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");

    /** @return the known key nearest to {@code key} by edit distance, when near enough to be a typo of it */
    private String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Levenshtein distance (a transposition counts two, as two typos). */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** A key as it may be shown: control and non-ASCII characters escaped, at most 40 characters. */
    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (out.length() >= 40) {
                return out.append("...").toString();
            }
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private boolean present(String key) {
        known.add(key);
        return properties.get(key) != null;
    }

    private boolean blank(String key) {
        return properties.get(key).toString().isBlank();
    }

    private String string(String key, Supplier<String> declared) {
        known.add(key);
        Object raw = properties.get(key);
        String v = raw != null ? raw.toString() : declared.get();
        return v == null ? "" : v.trim();
    }

    private <T> T noted(String key, String expected, T placeholder) {
        problems.add(key + " = '" + (properties.get(key) == null ? "" : properties.get(key)) + "': expected "
                + expected);
        return placeholder;
    }

    /**
     * The outcome of a check: the settings when every value was right, else the problems, each naming the key,
     * its value and what was expected.
     *
     * @param pid the configuration checked
     * @param settings the settings, or null when refused
     * @param problems empty when accepted
     * @param warnings keys nobody reads ({@code poolSzie}), each with the known key it is nearest to: not wrong
     *     enough to refuse the configuration, but a setting meant is not in force
     */
    public record Result<S>(String pid, S settings, List<String> problems, List<String> warnings) {
        public Result {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        /** A result without warnings. */
        public Result(String pid, S settings, List<String> problems) {
            this(pid, settings, problems, List.of());
        }

        public boolean accepted() {
            return problems.isEmpty();
        }

        /** @return one line for the log: the PID and every problem */
        public String refusal() {
            return pid + ": configuration refused, the settings in force are kept: " + String.join("; ", problems);
        }

        /**
         * For a configuration that arrives while settings are in force (DS modified): applies the settings when
         * accepted; when refused, reports it and leaves everything as it is.
         *
         * @return whether the settings were applied
         */
        public boolean applyOrReport(Consumer<S> apply, Consumer<String> report) {
            return applyOrReport(apply, report, warning -> { });
        }

        /** As {@link #applyOrReport(Consumer, Consumer)}, telling {@code warn} about every unknown key first. */
        public boolean applyOrReport(Consumer<S> apply, Consumer<String> report, Consumer<String> warn) {
            warnings.forEach(warn);
            if (accepted()) {
                apply.accept(settings);
                return true;
            }
            report.accept(refusal());
            return false;
        }

        /**
         * For the first configuration (DS activate), when there are no settings to keep.
         *
         * @throws IllegalArgumentException naming every problem, when refused
         */
        public S orElseThrow() {
            return orElseThrow(message -> { });
        }

        /**
         * As {@link #orElseThrow()}, reporting the refusal first (DS logs an activation failure with its own
         * words around it: the component's log says it plainly).
         */
        public S orElseThrow(Consumer<String> report) {
            return orElseThrow(report, warning -> { });
        }

        /** As {@link #orElseThrow(Consumer)}, telling {@code warn} about every unknown key first. */
        public S orElseThrow(Consumer<String> report, Consumer<String> warn) {
            warnings.forEach(warn);
            if (!accepted()) {
                String message = pid + ": configuration refused, not started until it is corrected: "
                        + String.join("; ", problems);
                report.accept(message);
                throw new IllegalArgumentException(message);
            }
            return settings;
        }
    }
}
