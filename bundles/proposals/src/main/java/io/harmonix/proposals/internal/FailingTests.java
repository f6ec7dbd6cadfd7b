package io.harmonix.proposals.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the failing tests in a check's log, as the common runners print them, so that a rejection says which test
 * failed rather than "exit 1": Maven Surefire's summary ({@code [ERROR]   BasketTest.adds:12 expected...}), JUnit's
 * console launcher ({@code MethodSource [className = 'x', methodName = 'y'}), JUnit 4 ({@code 1) adds(shop.Test)}),
 * TAP ({@code not ok 3 - adds}) and the {@code FAIL: name} / {@code FAILED: name} lines of shell scripts. When none
 * matches, the last lines of the log say what happened.
 */
final class FailingTests {
    private static final List<Pattern> PATTERNS = List.of(
            // Surefire's "Failures:" / "Errors:" summary: [ERROR]   Class.method:line message
            Pattern.compile("^\\[ERROR\\]\\s{2,}([\\w$.]+\\.[\\w$]+(?::\\d+)?)(?:\\s|$)"),
            // Surefire per-test line: [ERROR] method(Class)  Time elapsed: ... <<< FAILURE!
            Pattern.compile("^\\[ERROR\\]\\s+([\\w$]+\\([\\w$.]+\\)).*<<< (?:FAILURE|ERROR)!"),
            Pattern.compile("^\\[ERROR\\]\\s+([\\w$.]+\\.[\\w$]+).*<<< (?:FAILURE|ERROR)!"),
            Pattern.compile("MethodSource \\[className = '([\\w$.]+)', methodName = '([\\w$]+)'"),
            Pattern.compile("^\\d+\\) ([\\w$]+\\([\\w$.]+\\))"),
            Pattern.compile("^not ok \\d+\\s*-?\\s*(.+)$"),
            Pattern.compile("^(?:FAIL|FAILED|FAILURE):?\\s+(.+)$"));

    private FailingTests() {
    }

    /** @return the failing tests the log names, in the order it names them, each once */
    static List<String> named(String log) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : log == null ? new String[0] : log.split("\n")) {
            String l = line.stripTrailing();
            for (Pattern p : PATTERNS) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    names.add(m.groupCount() == 2 ? m.group(1) + "." + m.group(2) : m.group(1).strip());
                    break;
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** @return "failing tests: a, b" when the log names some, else its last {@code lines} non-blank lines */
    static String describe(String log, int lines) {
        List<String> named = named(log);
        if (!named.isEmpty()) {
            return "failing test" + (named.size() == 1 ? "" : "s") + ": " + String.join(", ", named);
        }
        List<String> all = (log == null ? "" : log).lines().filter(l -> !l.isBlank()).toList();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return tail.isEmpty() ? "no output" : "last output: " + String.join(" | ", tail);
    }
}
