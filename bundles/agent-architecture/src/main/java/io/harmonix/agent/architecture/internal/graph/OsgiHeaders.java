package io.harmonix.agent.architecture.internal.graph;

import io.harmonix.agent.architecture.internal.graph.Module.HeaderClause;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the Export-Package and Import-Package clauses of a manifest (continuation lines start with a space) or a
 * bnd.bnd file (continuation lines end with a backslash), each clause with the physical line it starts on, so that
 * a finding about one import points at it.
 */
final class OsgiHeaders {
    private OsgiHeaders() {
    }

    /** @return the Export-Package and Import-Package clauses of {@code lines} */
    static List<HeaderClause> read(List<String> lines, String file, boolean bnd) {
        List<HeaderClause> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int start = i;
            StringBuilder value = new StringBuilder(lines.get(i));
            // where each physical line starts in the logical one
            List<int[]> starts = new ArrayList<>(List.<int[]>of(new int[] {0, start + 1}));
            i++;
            while (i < lines.size() && continues(lines, i, bnd)) {
                if (bnd) {
                    value.setLength(value.length() - 1); // the backslash
                }
                starts.add(new int[] {value.length(), i + 1});
                value.append(bnd ? lines.get(i).strip() : lines.get(i).substring(1));
                i++;
            }
            String logical = value.toString();
            int colon = logical.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = logical.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Export-Package") || name.equalsIgnoreCase("Import-Package")) {
                clauses(logical, colon + 1, canonical(name), file, starts, out);
            }
        }
        return out;
    }

    private static boolean continues(List<String> lines, int i, boolean bnd) {
        return bnd ? lines.get(i - 1).endsWith("\\") : lines.get(i).startsWith(" ");
    }

    private static String canonical(String header) {
        return header.toLowerCase(Locale.ROOT).startsWith("export") ? "Export-Package" : "Import-Package";
    }

    /** Splits at commas outside quotes; a clause may name several packages before its attributes. */
    private static void clauses(String logical, int from, String header, String file, List<int[]> starts,
            List<HeaderClause> out) {
        boolean quoted = false;
        int clauseStart = from;
        for (int p = from; p <= logical.length(); p++) {
            char c = p < logical.length() ? logical.charAt(p) : ',';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                String clause = logical.substring(clauseStart, p);
                int offset = clauseStart + (clause.length() - clause.stripLeading().length());
                addClause(clause.strip(), header, file, lineAt(starts, offset), out);
                clauseStart = p + 1;
            }
        }
    }

    private static void addClause(String clause, String header, String file, int line, List<HeaderClause> out) {
        if (clause.isEmpty()) {
            return;
        }
        String version = "";
        List<String> packages = new ArrayList<>();
        for (String part : clause.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                packages.add(p);
            } else if (p.substring(0, eq).strip().equals("version")) {
                version = p.substring(eq + 1).strip().replace("\"", "");
            }
        }
        for (String pkg : packages) {
            out.add(new HeaderClause(header, pkg, version, file, line));
        }
    }

    private static int lineAt(List<int[]> starts, int offset) {
        int line = starts.get(0)[1];
        for (int[] s : starts) {
            if (s[0] <= offset) {
                line = s[1];
            }
        }
        return line;
    }
}
