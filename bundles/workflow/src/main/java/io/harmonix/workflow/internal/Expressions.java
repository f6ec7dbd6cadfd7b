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
 *
 * <p>Every evaluation has a {@link Bound}: a task's own expressions its timeout (else the expression limit), the
 * others the expression limit. Loops, calls and regex matching stop when it passes or the thread is interrupted
 * (a cancel), with {@link Bound.Cut}.
 */
final class Expressions {
    // the sandbox's introspection, with String's regex methods bounded (BoundedRegex); cancellable: a bound that
    // passes stops the evaluation with an error instead of a null result
    private static final JexlEngine JEXL = new JexlBuilder()
            .uberspect(new BoundedRegex.Uberspect(new JexlBuilder().permissions(JexlPermissions.RESTRICTED).create()
                    .getUberspect()))
            .arithmetic(new BoundedRegex.Arithmetic(true)).strict(true).cancellable(true)
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

    /** Evaluates a string within the expression limit. */
    static Object evaluate(String text, Map<String, Object> vars) {
        return evaluate(text, vars, Bound.standard());
    }

    /**
     * Evaluates a string: its value for one whole ${...}, else the text with each ${...} replaced.
     *
     * @throws Bound.Cut when the bound passed or the thread was interrupted
     * @throws IllegalArgumentException why it could not be evaluated
     */
    static Object evaluate(String text, Map<String, Object> vars, Bound bound) {
        if (!isTemplate(text)) {
            return text;
        }
        Bound outer = BoundedRegex.CURRENT.get();
        BoundedRegex.CURRENT.set(bound);
        var alarm = bound.arm();
        try {
            bound.check();
            return parse(text).evaluate(new BoundedContext(vars, bound));
        } catch (JexlException e) {
            Bound.Cut cut = cutOf(e, bound);
            if (cut != null) {
                throw new Bound.Cut("'" + text + "': " + cut.getMessage(), cut.interrupted);
            }
            throw new IllegalArgumentException("'" + text + "': " + message(e));
        } catch (Bound.Cut cut) {
            throw new Bound.Cut("'" + text + "': " + cut.getMessage(), cut.interrupted);
        } finally {
            alarm.cancel(false);
            BoundedRegex.CURRENT.set(outer);
        }
    }

    /** @return the cut behind a JEXL error (its cancel, or a regex that stopped), or null */
    private static Bound.Cut cutOf(JexlException e, Bound bound) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Bound.Cut c) {
                return c;
            }
            if (t instanceof JexlException.Cancel) {
                return bound.cut();
            }
        }
        return null;
    }

    /** Evaluates strings inside maps and lists within the expression limit, keeping the shape. */
    static Object resolve(Object value, Map<String, Object> vars) {
        return resolve(value, vars, Bound.standard());
    }

    /** Evaluates strings inside maps and lists, keeping the shape; one bound for them all. */
    @SuppressWarnings("unchecked")
    static Object resolve(Object value, Map<String, Object> vars, Bound bound) {
        if (value instanceof String s) {
            return evaluate(s, vars, bound);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, resolve(v, vars, bound)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(resolve(v, vars, bound)));
            return out;
        }
        return value;
    }

    /** A condition within the expression limit. */
    static boolean test(String text, Map<String, Object> vars) {
        return test(text, vars, Bound.standard());
    }

    /** A condition: its value must be a boolean. */
    static boolean test(String text, Map<String, Object> vars, Bound bound) {
        Object v = evaluate(text.contains("${") ? text : "${" + text + "}", vars, bound);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + text + "' gave " + (v == null ? "null" : v.getClass()
                .getSimpleName() + " " + v) + "; expected true or false");
    }

    /** The variables, and the bound as JEXL's cancellation flag (read between steps of loops and calls). */
    private static final class BoundedContext extends MapContext implements JexlContext.CancellationHandle {
        private final Bound bound;

        BoundedContext(Map<String, Object> vars, Bound bound) {
            super(vars);
            this.bound = bound;
        }

        @Override
        public java.util.concurrent.atomic.AtomicBoolean getCancellation() {
            return bound.flag;
        }
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
