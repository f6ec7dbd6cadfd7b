package io.harmonix.fleet.sandbox.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.shell.api.Json;
import java.util.List;

/** How a check record is shown: text for people, JSON for {@code --json}. */
final class CheckViews {
    /** Lines of the log shown without {@code --log}. */
    static final int TAIL_LINES = 20;

    private CheckViews() {
    }

    static String text(CheckRecord r, String limits, boolean wholeLog) {
        StringBuilder out = new StringBuilder();
        line(out, "check", r.id() + (r.passed() ? " passed" : " did not pass"));
        line(out, "repository", r.repository());
        line(out, "commit", r.commit() == null ? "(none resolved)" : r.commit());
        line(out, "kind", r.kind());
        line(out, "command", r.command());
        line(out, "started", r.startedAt().toString());
        line(out, "duration", r.duration() == null ? "(running or stopped)" : r.duration().toMillis() + " ms");
        line(out, "exit code", r.exitCode() == null ? "(none)" : r.exitCode().toString());
        line(out, "timed out", r.timedOut() ? "yes" : "no");
        line(out, "isolation", r.isolation().name());
        line(out, "limits", limits == null ? "(not recorded)" : limits);
        if (r.error() != null) {
            line(out, "error", r.error());
        }
        String log = r.log() == null ? "" : r.log();
        List<String> lines = log.lines().toList();
        if (wholeLog || lines.size() <= TAIL_LINES) {
            out.append("log").append(r.logTruncated() ? " (cut: head and tail kept)" : "").append(":\n").append(log);
        } else {
            out.append("log: last ").append(TAIL_LINES).append(" of ").append(lines.size())
                    .append(" lines (--log for all):\n")
                    .append(String.join("\n", lines.subList(lines.size() - TAIL_LINES, lines.size()))).append('\n');
        }
        return out.toString();
    }

    static ObjectNode json(CheckRecord r, String limits, boolean wholeLog) {
        ObjectNode o = Json.fields(r, "id", "repository", "commit", "kind", "command", "startedAt");
        o.put("durationMillis", r.duration() == null ? null : r.duration().toMillis());
        o.put("exitCode", r.exitCode());
        o.put("timedOut", r.timedOut());
        o.put("passed", r.passed());
        o.put("isolation", r.isolation().name());
        o.put("limits", limits);
        o.put("error", r.error());
        o.put("logTruncated", r.logTruncated());
        if (wholeLog) {
            o.put("log", r.log());
        }
        return o;
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-11s", label + ":")).append(value).append('\n');
    }
}
