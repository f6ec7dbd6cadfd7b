package io.harmonix.metrics.testing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from the format's grammar (the Java
 * client has no text parser): {@code # HELP name text}, {@code # TYPE name type} at most once per metric and before
 * its samples, samples {@code name{label="value",...} value [timestamp]} with the spec's name and label rules and
 * escapes ({@code \\ \" \n}), and the histogram rules (buckets with {@code le}, cumulative, {@code +Inf} equal to
 * {@code _count}). Any departure throws, naming the line and column.
 */
public final class TextFormat {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** Samples by series key, {@code name{a="x",b="y"}} with labels sorted, and the declared type of each metric. */
    public final Map<String, Double> samples = new LinkedHashMap<>();
    public final Map<String, String> types = new HashMap<>();
    private final Set<String> sampled = new java.util.HashSet<>();

    public static TextFormat parse(String text) {
        TextFormat f = new TextFormat();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line must end with a line feed");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            try {
                f.line(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + lines[i], e);
            }
        }
        f.checkHistograms();
        return f;
    }

    public double value(String key) {
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no series " + key + " among " + samples.keySet());
        }
        return v;
    }

    public double valueOrZero(String key) {
        return samples.getOrDefault(key, 0.0);
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("#")) {
            String[] p = line.split(" ", 4);
            if (p.length >= 3 && p[0].equals("#") && p[1].equals("TYPE")) {
                name(p[2], 0);
                if (p.length != 4 || !TYPES.contains(p[3])) {
                    throw new IllegalArgumentException("TYPE of " + p[2] + " must be one of " + TYPES);
                }
                if (types.put(p[2], p[3]) != null) {
                    throw new IllegalArgumentException("second TYPE line for " + p[2]);
                }
                if (sampled.contains(p[2])) {
                    throw new IllegalArgumentException("TYPE of " + p[2] + " after its samples");
                }
            } else if (p.length >= 3 && p[0].equals("#") && p[1].equals("HELP")) {
                name(p[2], 0);
            }
            return; // other comments are allowed and ignored
        }
        int[] at = {0};
        String name = readName(line, at);
        Map<String, String> labels = new TreeMap<>();
        if (at[0] < line.length() && line.charAt(at[0]) == '{') {
            at[0]++;
            while (line.charAt(at[0]) != '}') {
                String label = readLabelName(line, at);
                expect(line, at, '=');
                expect(line, at, '"');
                StringBuilder v = new StringBuilder();
                for (char c = line.charAt(at[0]++); c != '"'; c = line.charAt(at[0]++)) {
                    if (c == '\\') {
                        char e = line.charAt(at[0]++);
                        v.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + e + " at column " + at[0]);
                        });
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(label, v.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (line.charAt(at[0]) == ',') {
                    at[0]++;
                } else if (line.charAt(at[0]) != '}') {
                    throw new IllegalArgumentException("expected , or } at column " + (at[0] + 1));
                }
            }
            at[0]++;
        }
        expect(line, at, ' ');
        String[] rest = line.substring(at[0]).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and an optional timestamp at column " + (at[0] + 1));
        }
        double value = number(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        StringBuilder key = new StringBuilder(name);
        if (!labels.isEmpty()) {
            key.append('{');
            labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
            key.setCharAt(key.length() - 1, '}');
        }
        if (samples.put(key.toString(), value) != null) {
            throw new IllegalArgumentException("series " + key + " twice");
        }
        sampled.add(family(name));
    }

    /** Histogram buckets cumulative and ending in +Inf equal to _count. */
    private void checkHistograms() {
        for (var t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String prefix = t.getKey() + "_bucket{";
            Map<String, TreeMap<Double, Double>> byRest = new TreeMap<>();
            samples.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    String labels = k.substring(prefix.length(), k.length() - 1);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(^|,)le=\"([^\"]*)\"").matcher(labels);
                    if (!m.find()) {
                        throw new IllegalArgumentException("bucket without le: " + k);
                    }
                    String rest = (labels.substring(0, m.start()) + labels.substring(m.end())).replaceAll("^,", "");
                    byRest.computeIfAbsent(rest, r -> new TreeMap<>()).put(number(m.group(2)), v);
                }
            });
            byRest.forEach((rest, buckets) -> {
                double previous = 0;
                for (double count : buckets.values()) {
                    if (count < previous) {
                        throw new IllegalArgumentException(t.getKey() + "{" + rest + "}: buckets not cumulative");
                    }
                    previous = count;
                }
                if (!buckets.containsKey(Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(t.getKey() + "{" + rest + "}: no +Inf bucket");
                }
                String count = t.getKey() + "_count" + (rest.isEmpty() ? "" : "{" + rest + "}");
                if (value(count) != buckets.get(Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(count + " differs from the +Inf bucket");
                }
            });
        }
    }

    private String family(String name) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static void expect(String line, int[] at, char c) {
        if (at[0] >= line.length() || line.charAt(at[0]) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at column " + (at[0] + 1));
        }
        at[0]++;
    }

    private static String readName(String line, int[] at) {
        int start = at[0];
        while (at[0] < line.length() && (Character.isLetterOrDigit(line.charAt(at[0])) && line.charAt(at[0]) < 128
                || line.charAt(at[0]) == '_' || line.charAt(at[0]) == ':')) {
            at[0]++;
        }
        return name(line.substring(start, at[0]), start);
    }

    private static String readLabelName(String line, int[] at) {
        int start = at[0];
        while (at[0] < line.length() && (Character.isLetterOrDigit(line.charAt(at[0])) && line.charAt(at[0]) < 128
                || line.charAt(at[0]) == '_')) {
            at[0]++;
        }
        String label = line.substring(start, at[0]);
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("bad label name at column " + (start + 1));
        }
        return label;
    }

    private static String name(String name, int column) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "' at column " + (column + 1));
        }
        return name;
    }
}
