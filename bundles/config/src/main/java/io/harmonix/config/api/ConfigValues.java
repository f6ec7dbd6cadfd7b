package io.harmonix.config.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads typed values from configuration properties ({@code etc/*.cfg} gives strings, ConfigAdmin may give typed
 * values), collecting an error per wrong property that names it, its value and what was expected, so that a
 * component can report them all at once.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** @return the whole number under {@code key}, or {@code fallback} when absent or blank (or wrong) */
    public static long wholeNumber(Map<String, ?> props, String key, long fallback, long min, long max,
            List<String> errors) {
        return number(props, key, fallback,
                raw -> raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim()),
                v -> v >= min && v <= max, "a whole number from " + min + " to " + max, errors);
    }

    /** @return the decimal number under {@code key}, or {@code fallback} when absent or blank (or wrong) */
    public static double decimal(Map<String, ?> props, String key, double fallback, double min, double max,
            List<String> errors) {
        return number(props, key, fallback,
                raw -> raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim()),
                v -> v >= min && v <= max, "a number from " + min + " to " + max, errors);
    }

    /**
     * What {@link #wholeNumber} and {@link #decimal} share: absent or blank gives the fallback, a value that does
     * not parse or is out of range is reported (naming the key, the value and what was expected) and gives the
     * fallback too.
     */
    private static <N> N number(Map<String, ?> props, String key, N fallback, Function<Object, N> parse,
            Predicate<N> inRange, String expected, List<String> errors) {
        Object raw = props.get(key);
        if (raw == null || raw.toString().isBlank()) {
            return fallback;
        }
        try {
            N v = parse.apply(raw);
            if (inRange.test(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(key + " = '" + raw + "': expected " + expected);
        return fallback;
    }

    /** @return the duration under {@code key} (see {@link Durations}), or {@code fallback} */
    public static Duration duration(Map<String, ?> props, String key, Duration fallback, List<String> errors) {
        Object raw = props.get(key);
        if (raw == null || raw.toString().isBlank()) {
            return fallback;
        }
        try {
            return Durations.parse(raw.toString());
        } catch (IllegalArgumentException e) {
            errors.add(key + " = " + e.getMessage());
            return fallback;
        }
    }

    /** @return the boolean under {@code key} ("true" or "false"), or {@code fallback} */
    public static boolean bool(Map<String, ?> props, String key, boolean fallback, List<String> errors) {
        Object raw = props.get(key);
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw == null || raw.toString().isBlank()) {
            return fallback;
        }
        String v = raw.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        errors.add(key + " = '" + raw + "': expected true or false");
        return fallback;
    }
}
