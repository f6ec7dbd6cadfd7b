package io.harmonix.proposals.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository's benchmark: the command its {@value #FILE} declares (the first line that is neither blank nor a
 * {@code #} comment), run on the base and on the result; its output's {@code BENCH <name> <number>} lines are its
 * figures, lower is better (times, bytes). A figure of the result worse than the base's by more than the tolerance
 * rejects the proposal.
 */
final class Benchmarks {
    /** Where a repository declares its benchmark command, relative to its root. */
    static final String FILE = ".harmonix/benchmark";
    private static final Pattern FIGURE = Pattern.compile("^BENCH\\s+(\\S+)\\s+(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*$");

    private Benchmarks() {
    }

    /** @return the command the file's text declares, or null when it declares none */
    static String command(String fileText) {
        if (fileText == null) {
            return null;
        }
        return fileText.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                .orElse(null);
    }

    /** @return the figures of a benchmark's output, by name, in the order printed (the last of a repeated name) */
    static Map<String, Double> figures(String log) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : (log == null ? "" : log).split("\n")) {
            Matcher m = FIGURE.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    /**
     * @param tolerance the fraction a figure may grow by (0.1: 10 %)
     * @return the regressions, one sentence each ({@code "parse: 120 -> 150 (+25.0 %)"}); empty when none
     */
    static List<String> regressions(Map<String, Double> base, Map<String, Double> result, double tolerance) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : base.entrySet()) {
            Double after = result.get(e.getKey());
            double before = e.getValue();
            if (after != null && after > before * (1 + tolerance) && after - before > 1e-12) {
                out.add(String.format(Locale.ROOT, "%s: %s -> %s (%+.1f %%)", e.getKey(), num(before), num(after),
                        before == 0 ? 100.0 : (after - before) / before * 100));
            }
        }
        return out;
    }

    /** @return each figure of both runs, for the step's message */
    static String summary(Map<String, Double> base, Map<String, Double> result) {
        List<String> parts = new ArrayList<>();
        base.forEach((name, before) -> parts.add(name + " " + num(before) + " -> "
                + (result.containsKey(name) ? num(result.get(name)) : "missing")));
        return String.join(", ", parts);
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
    }
}
