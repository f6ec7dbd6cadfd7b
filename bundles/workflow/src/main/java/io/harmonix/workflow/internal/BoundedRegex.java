package io.harmonix.workflow.internal;

import java.math.MathContext;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.introspection.JexlMethod;
import org.apache.commons.jexl3.introspection.JexlPropertyGet;
import org.apache.commons.jexl3.introspection.JexlPropertySet;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * Regular expressions of workflow expressions under the evaluation's {@link Bound}. A catastrophic pattern
 * ({@code (a+)+b} over forty a's) backtracks for hours inside {@code java.util.regex}, which never looks at an
 * interrupt; but it reads its input through {@link CharSequence#charAt}, so the input is wrapped in a sequence that
 * asks the bound as it is read. Both ways expressions reach a regex go through here: the {@code =~} / {@code !~}
 * operators ({@link Arithmetic}) and the String methods {@code matches}, {@code replaceAll}, {@code replaceFirst},
 * {@code split} ({@link Uberspect}).
 */
final class BoundedRegex {
    /** The bound of the evaluation running on this thread (set by {@link Expressions} around each one). */
    static final ThreadLocal<Bound> CURRENT = new ThreadLocal<>();

    private static final Set<String> STRING_METHODS = Set.of("matches", "replaceAll", "replaceFirst", "split");

    private BoundedRegex() {
    }

    /** @return {@code text} read through the current bound (as it is when no evaluation is bounded) */
    static CharSequence guarded(String text) {
        Bound b = CURRENT.get();
        return b == null ? text : new Guarded(text, b);
    }

    /** A string that asks its bound every 1024 characters read. */
    private record Guarded(String text, Bound bound, int[] reads) implements CharSequence {
        Guarded(String text, Bound bound) {
            this(text, bound, new int[1]);
        }

        @Override
        public char charAt(int index) {
            if ((++reads[0] & 1023) == 0) {
                bound.check();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(text.substring(start, end), bound, reads);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** {@code =~} and {@code !~} with a regex (a Pattern or a string) match through the bound. */
    static final class Arithmetic extends JexlArithmetic {
        Arithmetic(boolean strict) {
            super(strict);
        }

        Arithmetic(boolean strict, MathContext context, int scale) {
            super(strict, context, scale);
        }

        @Override
        protected JexlArithmetic createWithOptions(boolean strict, MathContext context, int scale) {
            return new Arithmetic(strict, context, scale);
        }

        @Override
        public Boolean contains(Object container, Object value) {
            if (value instanceof CharSequence s && (container instanceof Pattern || container instanceof String)) {
                Pattern p = container instanceof Pattern pattern ? pattern : Pattern.compile((String) container);
                return p.matcher(guarded(s.toString())).matches();
            }
            return super.contains(container, value);
        }
    }

    /**
     * The sandbox's introspection, but for the regex methods of String, which it answers with the same methods
     * reading through the bound. Everything else is the sandbox's own answer.
     */
    static final class Uberspect implements JexlUberspect {
        private final JexlUberspect sandbox;

        Uberspect(JexlUberspect sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public JexlMethod getMethod(Object obj, String method, Object... args) {
            if (obj instanceof String && STRING_METHODS.contains(method) && stringArgs(method, args)) {
                return new StringRegexMethod(method);
            }
            return sandbox.getMethod(obj, method, args);
        }

        private static boolean stringArgs(String method, Object... args) {
            if (method.equals("matches")) {
                return args.length == 1 && args[0] instanceof String;
            }
            if (method.equals("split")) {
                return (args.length == 1 && args[0] instanceof String)
                        || (args.length == 2 && args[0] instanceof String && args[1] instanceof Integer);
            }
            return args.length == 2 && args[0] instanceof String && args[1] instanceof String;
        }

        @Override
        public JexlArithmetic.Uberspect getArithmetic(JexlArithmetic arithmetic) {
            return sandbox.getArithmetic(arithmetic);
        }

        @Override
        public JexlOperator.Uberspect getOperator(JexlArithmetic arithmetic) {
            return sandbox.getOperator(arithmetic);
        }

        @Override
        public Class<?> getClassByName(String name) {
            return sandbox.getClassByName(name);
        }

        @Override
        public ClassLoader getClassLoader() {
            return sandbox.getClassLoader();
        }

        @Override
        public JexlMethod getConstructor(Object ctorHandle, Object... args) {
            return sandbox.getConstructor(ctorHandle, args);
        }

        @Override
        public Iterator<?> getIterator(Object obj) {
            return sandbox.getIterator(obj);
        }

        @Override
        public JexlPropertyGet getPropertyGet(List<PropertyResolver> resolvers, Object obj, Object identifier) {
            return sandbox.getPropertyGet(resolvers, obj, identifier);
        }

        @Override
        public JexlPropertyGet getPropertyGet(Object obj, Object identifier) {
            return sandbox.getPropertyGet(obj, identifier);
        }

        @Override
        public JexlPropertySet getPropertySet(List<PropertyResolver> resolvers, Object obj, Object identifier,
                Object arg) {
            return sandbox.getPropertySet(resolvers, obj, identifier, arg);
        }

        @Override
        public JexlPropertySet getPropertySet(Object obj, Object identifier, Object arg) {
            return sandbox.getPropertySet(obj, identifier, arg);
        }

        @Override
        public List<PropertyResolver> getResolvers(JexlOperator op, Object obj) {
            return sandbox.getResolvers(op, obj);
        }

        @Override
        public int getVersion() {
            return sandbox.getVersion();
        }

        @Override
        public void setClassLoader(ClassLoader loader) {
            sandbox.setClassLoader(loader);
        }
    }

    /** String.matches / replaceAll / replaceFirst / split(regex[, limit]), same results, reading through the bound. */
    private record StringRegexMethod(String name) implements JexlMethod {
        @Override
        public Object invoke(Object obj, Object... args) {
            CharSequence s = guarded((String) obj);
            Pattern p = Pattern.compile((String) args[0]);
            return switch (name) {
                case "matches" -> p.matcher(s).matches();
                case "replaceAll" -> p.matcher(s).replaceAll((String) args[1]);
                case "replaceFirst" -> p.matcher(s).replaceFirst((String) args[1]);
                default -> p.split(s, args.length > 1 ? (Integer) args[1] : 0);
            };
        }

        @Override
        public Object tryInvoke(String method, Object obj, Object... args) {
            // not cacheable, so JEXL never tries it for another call
            return JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean tryFailed(Object rval) {
            return rval == JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean isCacheable() {
            return false;
        }

        @Override
        public Class<?> getReturnType() {
            return name.equals("split") ? String[].class : name.equals("matches") ? Boolean.class : String.class;
        }
    }
}
