package io.harmonix.config.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: {@code 250ms}, {@code 2s}, {@code 1m30s}, {@code 1h}, or ISO-8601 {@code PT2S}, at
 * most {@link #MAX} long: a deadline of a million hours is a typo, and past about 292 years a duration no longer
 * fits in the nanoseconds that timers count (every run then failed with "long overflow").
 */
public final class Durations {
    /** The longest duration accepted: ten years. */
    public static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what was expected
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return bounded(text, Duration.parse(t));
            } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
                throw invalid(text);
            }
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            try {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (NumberFormatException | ArithmeticException e) { // more digits than a long, or than a Duration
                throw tooLong(text);
            }
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw invalid(text);
        }
        return bounded(text, total);
    }

    private static Duration bounded(String text, Duration d) {
        if (d.isNegative()) {
            throw invalid(text);
        }
        if (d.compareTo(MAX) > 0) {
            throw tooLong(text);
        }
        return d;
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is too long a duration: at most " + MAX.toDays() + "d");
    }

    /** @return a short form such as {@code 1.5s}, {@code 250ms}, {@code 2m05s} */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: expected a number with a unit "
                + "(ms, s, m, h, d), e.g. 250ms, 2s, 1m30s, or ISO-8601 such as PT2S");
    }
}
