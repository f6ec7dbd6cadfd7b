package io.harmonix.workflow.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JxltEngine;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The expressions of workflow files: Apache Commons JEXL in its RESTRICTED sandbox (no class, no reflection, no
 * System or Runtime, no new objects), over plain maps and lists. A string holding one {@code ${...}} and nothing
 * else gives the expression's value as it is (a number stays a number, a map a map); other strings are templates
 * and give text. Values seen: {@code input.NAME}, {@code tasks.ID.output...}, {@code tasks.ID.state},
 * {@code tasks.ID.error}, {@code item} and {@code index} in a for_each, {@code iteration} and {@code output} in a
 * repeat's until.
 */
final class Expressions {
    private static final JexlEngine JEXL = new JexlBuilder().permissions(JexlPermissions.RESTRICTED).strict(true)
            .silent(false).safe(false).cache(512).create();
    private static final JxltEngine TEMPLATES = JEXL.createJxltEngine(false);
    private static final Map<String, JxltEngine.Expression> PARSED = new ConcurrentHashMap<>();

    private Expressions() {
    }

    /** @return true when {@code text} holds an expression */
    static boolean isTemplate(String text) {
        return text.contains("${");
    }

    private static JxltEngine.Expression parse(String text) {
        JxltEngine.Expression e = PARSED.get(text);
        if (e == null) {
            e = TEMPLATES.createExpression(text);
            if (PARSED.size() < 10_000) {
                PARSED.put(text, e);
            }
        }
        return e;
    }

    /**
     * @return the variable paths a string's expressions read (e.g. [tasks, extract, output, text])
     * @throws IllegalArgumentException with the parser's message for a bad expression
     */
    static Set<List<String>> variables(String text) {
        try {
            return parse(text).getVariables();
        } catch (JexlException e) {
            throw new IllegalArgumentException(message(e));
        }
    }

    /** Evaluates a string: its value for one whole ${...}, else the text with each ${...} replaced. */
    static Object evaluate(String text, Map<String, Object> vars) {
        if (!isTemplate(text)) {
            return text;
        }
        try {
            return parse(text).evaluate(context(vars));
        } catch (JexlException e) {
            throw new IllegalArgumentException("'" + text + "': " + message(e));
        }
    }

    /** Evaluates strings inside maps and lists, keeping the shape. */
    @SuppressWarnings("unchecked")
    static Object resolve(Object value, Map<String, Object> vars) {
        if (value instanceof String s) {
            return evaluate(s, vars);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, resolve(v, vars)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(resolve(v, vars)));
            return out;
        }
        return value;
    }

    /** A condition: its value must be a boolean. */
    static boolean test(String text, Map<String, Object> vars) {
        Object v = evaluate(text.contains("${") ? text : "${" + text + "}", vars);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + text + "' gave " + (v == null ? "null" : v.getClass()
                .getSimpleName() + " " + v) + "; expected true or false");
    }

    private static JexlContext context(Map<String, Object> vars) {
        return new MapContext(vars);
    }

    private static String message(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        // JEXL prefixes its messages with a source position of its own ("@1:2 "): keep the words
        return m.replaceFirst("^[^ ]*@\\d+:\\d+ ", "");
    }
}
