package io.harmonix.agent.security.internal.javaapi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the rules ask of code without a type solver (a scan must not need the target's class path): names and
 * shapes. A variable's type and value are looked up by its name in the enclosing method, then the enclosing class.
 */
final class Code {
    private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]*");

    private Code() {
    }

    /** @return the method, constructor or initializer around {@code n}, else its class */
    static Node scope(Node n) {
        Optional<CallableDeclaration> m = n.findAncestor(CallableDeclaration.class);
        if (m.isPresent()) {
            return m.get();
        }
        return n.findAncestor(TypeDeclaration.class).map(Node.class::cast).orElse(n.findRootNode());
    }

    /**
     * @return true when {@code e} is a string built at run time: a concatenation with something other than
     *     literals and constants, String.format / formatted, or a local variable given such a value
     */
    static boolean built(Expression e) {
        return built(e, 0);
    }

    private static boolean built(Expression e, int depth) {
        if (e.isEnclosedExpr()) {
            return built(e.asEnclosedExpr().getInner(), depth);
        }
        if (e instanceof BinaryExpr b && b.getOperator() == BinaryExpr.Operator.PLUS) {
            return !constant(b.getLeft()) || !constant(b.getRight());
        }
        if (e instanceof MethodCallExpr m) {
            boolean format = m.getNameAsString().equals("format") && m.getScope().map(s -> s.toString()
                    .endsWith("String")).orElse(false);
            return format || m.getNameAsString().equals("formatted");
        }
        if (e instanceof NameExpr n && depth < 3) {
            for (Expression value : values(n)) {
                if (built(value, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return true for a literal, a constant ({@code UPPER_CASE}) or a concatenation of them */
    private static boolean constant(Expression e) {
        if (e.isEnclosedExpr()) {
            return constant(e.asEnclosedExpr().getInner());
        }
        if (e instanceof LiteralExpr) {
            return true;
        }
        if (e instanceof NameExpr n) {
            return CONSTANT.matcher(n.getNameAsString()).matches();
        }
        if (e instanceof FieldAccessExpr f) {
            return CONSTANT.matcher(f.getNameAsString()).matches();
        }
        if (e instanceof BinaryExpr b && b.getOperator() == BinaryExpr.Operator.PLUS) {
            return constant(b.getLeft()) && constant(b.getRight());
        }
        return false;
    }

    /** @return what the variable {@code name} is given in its method (initializer, assignments), or in its class */
    static List<Expression> values(NameExpr name) {
        List<Expression> out = new ArrayList<>();
        String id = name.getNameAsString();
        for (Node where : List.of(scope(name), classOf(name))) {
            for (VariableDeclarator v : where.findAll(VariableDeclarator.class)) {
                if (v.getNameAsString().equals(id)) {
                    v.getInitializer().ifPresent(out::add);
                }
            }
            for (AssignExpr a : where.findAll(AssignExpr.class)) {
                if (a.getTarget() instanceof NameExpr t && t.getNameAsString().equals(id)) {
                    out.add(a.getValue());
                }
            }
            if (!out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /** @return the declared type's simple name of the variable or parameter {@code name}, or "" */
    static String typeOf(NameExpr name) {
        String id = name.getNameAsString();
        for (Node where : List.of(scope(name), classOf(name))) {
            for (VariableDeclarator v : where.findAll(VariableDeclarator.class)) {
                if (v.getNameAsString().equals(id)) {
                    return simple(v.getTypeAsString());
                }
            }
            for (Parameter p : where.findAll(Parameter.class)) {
                if (p.getNameAsString().equals(id)) {
                    return simple(p.getTypeAsString());
                }
            }
        }
        return "";
    }

    static String simple(String type) {
        int lt = type.indexOf('<');
        String raw = lt >= 0 ? type.substring(0, lt) : type;
        return raw.substring(raw.lastIndexOf('.') + 1);
    }

    private static Node classOf(Node n) {
        return n.findAncestor(TypeDeclaration.class).map(Node.class::cast).orElse(n.findRootNode());
    }

    /** @return the string literal {@code e} is, or that the variable {@code e} names is given; null otherwise */
    static String literal(Expression e) {
        if (e instanceof StringLiteralExpr s) {
            return s.getValue();
        }
        if (e instanceof NameExpr n) {
            for (Expression v : values(n)) {
                if (v instanceof StringLiteralExpr s) {
                    return s.getValue();
                }
            }
        }
        return null;
    }

    /**
     * @return true when {@code e} is a literal key: {@code new byte[] {1, 2}}, {@code "k".getBytes(...)},
     *     {@code "k".toCharArray()}, {@code {'a', 'b'}}, or a variable given one of those
     */
    static boolean literalKey(Expression e, int depth) {
        if (e instanceof ArrayCreationExpr a) {
            return a.getInitializer().map(Code::allLiterals).orElse(false);
        }
        if (e instanceof ArrayInitializerExpr i) {
            return allLiterals(i);
        }
        if (e instanceof MethodCallExpr m && (m.getNameAsString().equals("getBytes")
                || m.getNameAsString().equals("toCharArray"))) {
            return m.getScope().map(s -> s instanceof StringLiteralExpr || s instanceof NameExpr n
                    && values(n).stream().anyMatch(v -> v instanceof StringLiteralExpr)).orElse(false);
        }
        if (e instanceof NameExpr n && depth < 3) {
            return values(n).stream().anyMatch(v -> literalKey(v, depth + 1));
        }
        return false;
    }

    private static boolean allLiterals(ArrayInitializerExpr i) {
        return i.getValues().isNonEmpty() && i.getValues().stream().allMatch(v -> v instanceof LiteralExpr
                || v.isUnaryExpr() && v.asUnaryExpr().getExpression() instanceof LiteralExpr
                || v.isCastExpr() && v.asCastExpr().getExpression() instanceof LiteralExpr);
    }
}
