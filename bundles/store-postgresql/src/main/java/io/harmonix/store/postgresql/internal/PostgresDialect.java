package io.harmonix.store.postgresql.internal;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundles' migrations are written once, in Derby's SQL; this rewrites the few Derby forms that PostgreSQL does not
 * take, and nothing else. The rules, in the order applied (case ignored, never inside a quoted literal):
 * <ol>
 * <li>{@code CHAR(n) FOR BIT DATA}, {@code VARCHAR(n) FOR BIT DATA}, {@code LONG VARCHAR FOR BIT DATA} to
 *     {@code BYTEA} (Derby's byte strings);</li>
 * <li>{@code BLOB} and {@code BLOB(n)} to {@code BYTEA};</li>
 * <li>{@code CLOB} and {@code CLOB(n)} to {@code TEXT};</li>
 * <li>{@code LONG VARCHAR} to {@code TEXT};</li>
 * <li>{@code DOUBLE} (not followed by {@code PRECISION}) to {@code DOUBLE PRECISION};</li>
 * <li>the options of {@code GENERATED ... AS IDENTITY (START WITH 1, INCREMENT BY 1)}: Derby separates them with
 *     commas, PostgreSQL with spaces.</li>
 * </ol>
 * Everything else the migrations use is the same in both ({@code INT}, {@code BIGINT}, {@code SMALLINT},
 * {@code BOOLEAN}, {@code VARCHAR(n)}, {@code CHAR(n)}, {@code TIMESTAMP}, {@code GENERATED ALWAYS AS IDENTITY},
 * {@code CREATE INDEX}, {@code ALTER TABLE ... ADD COLUMN}, {@code LOCK TABLE ... IN EXCLUSIVE MODE}, and at run time
 * {@code OFFSET ... ROWS FETCH NEXT/FIRST n ROWS ONLY}). A Derby form outside this list that PostgreSQL refuses fails
 * the migration with PostgreSQL's message and the statement, as any failed step does: add a rule (and its test) then.
 */
final class PostgresDialect {
    /**
     * PostgreSQL's SQLStates for a table created when it exists: 42P07 (duplicate_table), and 23505 (unique_violation
     * on its catalogue) when two sessions create it at the same moment.
     */
    static final Set<String> TABLE_EXISTS = Set.of("42P07", "23505");

    private record Rule(Pattern derby, String postgres) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\\b(?:LONG\\s+VARCHAR|VARCHAR\\s*\\(\\s*\\d+\\s*\\)|CHAR\\s*\\(\\s*\\d+\\s*\\))"
                    + "\\s+FOR\\s+BIT\\s+DATA\\b", FLAGS), "BYTEA"),
            new Rule(Pattern.compile("\\bBLOB\\b(?:\\s*\\(\\s*\\d+\\s*[KMG]?\\s*\\))?", FLAGS), "BYTEA"),
            new Rule(Pattern.compile("\\bCLOB\\b(?:\\s*\\(\\s*\\d+\\s*[KMG]?\\s*\\))?", FLAGS), "TEXT"),
            new Rule(Pattern.compile("\\bLONG\\s+VARCHAR\\b", FLAGS), "TEXT"),
            new Rule(Pattern.compile("\\bDOUBLE\\b(?!\\s+PRECISION)", FLAGS), "DOUBLE PRECISION"));
    /** The parenthesised options after {@code AS IDENTITY}, whose commas go. */
    private static final Pattern IDENTITY_OPTIONS = Pattern.compile("(\\bAS\\s+IDENTITY\\s*)\\(([^)]*)\\)", FLAGS);
    /** A quoted literal ('...', '' inside it) or a quoted identifier ("..."): never rewritten. */
    private static final Pattern QUOTED = Pattern.compile("'(?:[^']|'')*'|\"[^\"]*\"");

    private PostgresDialect() {
    }

    /** @return {@code derbySql} in PostgreSQL's SQL */
    static String rewrite(String derbySql) {
        StringBuilder out = new StringBuilder();
        Matcher quoted = QUOTED.matcher(derbySql);
        int from = 0;
        while (quoted.find()) {
            out.append(rewriteUnquoted(derbySql.substring(from, quoted.start()))).append(quoted.group());
            from = quoted.end();
        }
        return out.append(rewriteUnquoted(derbySql.substring(from))).toString();
    }

    private static String rewriteUnquoted(String sql) {
        String s = sql;
        for (Rule rule : RULES) {
            s = rule.derby().matcher(s).replaceAll(rule.postgres());
        }
        Matcher identity = IDENTITY_OPTIONS.matcher(s);
        StringBuilder out = new StringBuilder();
        while (identity.find()) {
            identity.appendReplacement(out, Matcher.quoteReplacement(identity.group(1) + "("
                    + identity.group(2).replaceAll("\\s*,\\s*", " ") + ")"));
        }
        identity.appendTail(out);
        return out.toString();
    }
}
