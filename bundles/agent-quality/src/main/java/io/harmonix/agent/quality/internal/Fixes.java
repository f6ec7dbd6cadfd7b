package io.harmonix.agent.quality.internal;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.printer.lexicalpreservation.LexicalPreservingPrinter;
import java.util.Optional;
import java.util.Set;

/**
 * The mechanical fixes: the edited source of a file with one unused import, private field or local variable
 * removed, made with JavaParser's lexical-preserving printer so that every other byte of the file stays as it was.
 * A fix is only made when it cannot change behaviour or break the build: the declaration's initializer is absent or
 * a literal (nothing with side effects goes), nothing else in the file (for a field) or the block (for a local)
 * names it, and a field carries no annotation (frameworks read annotated fields reflectively).
 */
final class Fixes {
    static final Set<String> RULES = Set.of("UnnecessaryImport", "UnusedPrivateField", "UnusedLocalVariable");

    /** The fixed source with its title, or why there is none. */
    record Fix(String title, String text, String refusal) {
        static Fix refused(String why) {
            return new Fix(null, null, why);
        }

        boolean made() {
            return text != null;
        }
    }

    private Fixes() {
    }

    /** @return whether a fix of {@code ruleId} findings can be attempted at all */
    static boolean covers(String ruleId) {
        return RULES.contains(ruleId);
    }

    /**
     * @param line the line PMD reported the violation at
     * @param name the import, field or variable name PMD reported
     */
    static Fix fix(Source source, String ruleId, int line, String name) {
        ParseResult<CompilationUnit> parsed = new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)).parse(source.text());
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            return Fix.refused("JavaParser cannot parse the file at Java 17");
        }
        CompilationUnit unit = parsed.getResult().get();
        LexicalPreservingPrinter.setup(unit);
        Fix edit = switch (ruleId) {
            case "UnnecessaryImport" -> removeImport(unit, line);
            case "UnusedPrivateField" -> removeField(unit, line, name);
            case "UnusedLocalVariable" -> removeLocal(unit, line, name);
            default -> Fix.refused("no mechanical fix for " + ruleId);
        };
        return edit.made() ? new Fix(edit.title(), LexicalPreservingPrinter.print(unit), null) : edit;
    }

    private static Fix removeImport(CompilationUnit unit, int line) {
        Optional<ImportDeclaration> found = unit.getImports().stream().filter(i -> startsAt(i, line)).findFirst();
        if (found.isEmpty()) {
            return Fix.refused("no import declaration at line " + line);
        }
        ImportDeclaration declaration = found.get();
        String what = declaration.getNameAsString() + (declaration.isAsterisk() ? ".*" : "");
        declaration.remove();
        return new Fix("Remove unused import " + what, "", null);
    }

    private static Fix removeField(CompilationUnit unit, int line, String name) {
        Optional<VariableDeclarator> found = unit.findAll(VariableDeclarator.class,
                v -> v.getNameAsString().equals(name) && startsAt(v, line)
                        && v.getParentNode().orElse(null) instanceof FieldDeclaration).stream().findFirst();
        if (found.isEmpty()) {
            return Fix.refused("no field '" + name + "' declared at line " + line);
        }
        VariableDeclarator variable = found.get();
        FieldDeclaration field = (FieldDeclaration) variable.getParentNode().orElseThrow();
        if (!field.getAnnotations().isEmpty()) {
            return Fix.refused("the field is annotated, and may be read reflectively");
        }
        String refusal = unsafe(variable, unit, name);
        if (refusal != null) {
            return Fix.refused(refusal);
        }
        remove(field.getVariables().size() == 1 ? field : variable);
        return new Fix("Remove unused private field " + name, "", null);
    }

    private static Fix removeLocal(CompilationUnit unit, int line, String name) {
        Optional<VariableDeclarator> found = unit.findAll(VariableDeclarator.class,
                v -> v.getNameAsString().equals(name) && startsAt(v, line)
                        && v.getParentNode().orElse(null) instanceof VariableDeclarationExpr declaration
                        && declaration.getParentNode().orElse(null) instanceof ExpressionStmt).stream().findFirst();
        if (found.isEmpty()) {
            return Fix.refused("no local variable '" + name + "' declared as a statement at line " + line);
        }
        VariableDeclarator variable = found.get();
        VariableDeclarationExpr declaration = (VariableDeclarationExpr) variable.getParentNode().orElseThrow();
        ExpressionStmt statement = (ExpressionStmt) declaration.getParentNode().orElseThrow();
        Node scope = statement.findAncestor(BlockStmt.class).map(b -> (Node) b).orElse(unit);
        String refusal = unsafe(variable, scope, name);
        if (refusal != null) {
            return Fix.refused(refusal);
        }
        remove(declaration.getVariables().size() == 1 ? statement : variable);
        return new Fix("Remove unused local variable " + name, "", null);
    }

    /** @return why removing {@code variable} is not mechanical, or null when it is */
    private static String unsafe(VariableDeclarator variable, Node scope, String name) {
        Optional<Expression> init = variable.getInitializer();
        if (init.isPresent() && !literal(init.get())) {
            return "its initializer is not a literal and may have side effects";
        }
        if (init.isPresent() && init.get() instanceof StringLiteralExpr s && Evidence.secretLike(s.getValue())) {
            return "its initializer looks like a secret (the security agent reports those)";
        }
        boolean named = !scope.findAll(NameExpr.class, n -> n.getNameAsString().equals(name)).isEmpty()
                || !scope.findAll(FieldAccessExpr.class, f -> f.getNameAsString().equals(name)).isEmpty();
        return named ? "'" + name + "' is assigned or named elsewhere; removing it is not mechanical" : null;
    }

    private static boolean literal(Expression e) {
        return e instanceof LiteralExpr
                || e instanceof UnaryExpr u && u.getExpression() instanceof LiteralExpr
                && (u.getOperator() == UnaryExpr.Operator.MINUS || u.getOperator() == UnaryExpr.Operator.PLUS);
    }

    private static boolean startsAt(Node node, int line) {
        return node.getBegin().map(p -> p.line == line).orElse(false);
    }

    private static void remove(Node node) {
        if (!node.remove()) {
            throw new IllegalStateException("JavaParser refused to remove " + node);
        }
    }
}
