package io.harmonix.agent.quality.internal;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.comments.Comment;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.printer.lexicalpreservation.LexicalPreservingPrinter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mechanical fixes: the edited source of a file with one unused import, private field or local variable
 * removed, every other byte of the file as it was: JavaParser finds the declaration and checks it is safe to remove;
 * a declaration alone on its lines goes with those lines, one sharing its line goes through JavaParser's
 * lexical-preserving printer.
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

    /** What a fix removes: {@code node}, or why nothing. */
    private record Removal(String title, Node node, String refusal) {
        static Removal refused(String why) {
            return new Removal(null, null, why);
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
        Removal removal = switch (ruleId) {
            case "UnnecessaryImport" -> removeImport(unit, line);
            case "UnusedPrivateField" -> removeField(unit, line, name);
            case "UnusedLocalVariable" -> removeLocal(unit, line, name);
            default -> Removal.refused("no mechanical fix for " + ruleId);
        };
        if (removal.node() == null) {
            return Fix.refused(removal.refusal());
        }
        String wholeLines = withoutLines(source.text(), removal.node());
        if (wholeLines != null) {
            return new Fix(removal.title(), wholeLines, null);
        }
        if (removal.node().getComment().filter(c -> !c.isJavadocComment()).isPresent()) {
            // the printer would take the comment with the declaration
            return Fix.refused("the declaration shares its line with other code and has a comment that would go "
                    + "with it");
        }
        if (!removal.node().remove()) {
            return Fix.refused("JavaParser could not remove " + removal.node());
        }
        return new Fix(removal.title(), LexicalPreservingPrinter.print(unit), null);
    }

    /**
     * A declaration alone on its lines goes with its lines (and its own javadoc): the lexical-preserving printer also
     * takes the blank line after the last import, which a reviewer would not expect in a diff. A {@code //} or
     * {@code /*} comment before it stays: JavaParser attaches the comment before a declaration to it, but that
     * comment may be about the code around it (or hold what the fix has no business moving). A declaration that
     * shares its line with others (one variable of {@code int a = 0, b = 1;}) is the printer's to remove.
     *
     * @return the text without the node's lines, or null when the node shares a line with other code
     */
    private static String withoutLines(String text, Node node) {
        Node first = node.getComment().filter(Comment::isJavadocComment).map(c -> (Node) c).orElse(node);
        if (first.getBegin().isEmpty() || node.getEnd().isEmpty()) {
            return null;
        }
        int from = first.getBegin().get().line;
        int to = node.getEnd().get().line;
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        String before = lines.get(from - 1).substring(0, Math.min(lines.get(from - 1).length(),
                first.getBegin().get().column - 1));
        String after = lines.get(to - 1).substring(Math.min(lines.get(to - 1).length(), node.getEnd().get().column));
        if (!before.isBlank() || !after.isBlank()) {
            return null;
        }
        lines.subList(from - 1, to).clear();
        return String.join("\n", lines);
    }

    private static Removal removeImport(CompilationUnit unit, int line) {
        Optional<ImportDeclaration> found = unit.getImports().stream().filter(i -> startsAt(i, line)).findFirst();
        if (found.isEmpty()) {
            return Removal.refused("no import declaration at line " + line);
        }
        ImportDeclaration declaration = found.get();
        String what = declaration.getNameAsString() + (declaration.isAsterisk() ? ".*" : "");
        return new Removal("Remove unused import " + what, declaration, null);
    }

    private static Removal removeField(CompilationUnit unit, int line, String name) {
        Optional<VariableDeclarator> found = unit.findAll(VariableDeclarator.class,
                v -> v.getNameAsString().equals(name) && startsAt(v, line)
                        && v.getParentNode().orElse(null) instanceof FieldDeclaration).stream().findFirst();
        if (found.isEmpty()) {
            return Removal.refused("no field '" + name + "' declared at line " + line);
        }
        VariableDeclarator variable = found.get();
        FieldDeclaration field = (FieldDeclaration) variable.getParentNode().orElseThrow();
        if (!field.getAnnotations().isEmpty()) {
            return Removal.refused("the field is annotated, and may be read reflectively");
        }
        String refusal = unsafe(variable, unit, name);
        if (refusal != null) {
            return Removal.refused(refusal);
        }
        return new Removal("Remove unused private field " + name,
                field.getVariables().size() == 1 ? field : variable, null);
    }

    private static Removal removeLocal(CompilationUnit unit, int line, String name) {
        Optional<VariableDeclarator> found = unit.findAll(VariableDeclarator.class,
                v -> v.getNameAsString().equals(name) && startsAt(v, line)
                        && v.getParentNode().orElse(null) instanceof VariableDeclarationExpr declaration
                        && declaration.getParentNode().orElse(null) instanceof ExpressionStmt).stream().findFirst();
        if (found.isEmpty()) {
            return Removal.refused("'" + name + "' at line " + line + " is not declared in a statement of its own "
                    + "(a try resource, loop variable or pattern stays)");
        }
        VariableDeclarator variable = found.get();
        VariableDeclarationExpr declaration = (VariableDeclarationExpr) variable.getParentNode().orElseThrow();
        ExpressionStmt statement = (ExpressionStmt) declaration.getParentNode().orElseThrow();
        // the enclosing block, not the statement's parent: a local declared in a switch case is in scope in the
        // cases after it
        Node scope = statement.getParentNode().orElse(unit);
        while (!(scope instanceof BlockStmt) && scope.getParentNode().isPresent()) {
            scope = scope.getParentNode().get();
        }
        String refusal = unsafe(variable, scope, name);
        if (refusal != null) {
            return Removal.refused(refusal);
        }
        return new Removal("Remove unused local variable " + name,
                declaration.getVariables().size() == 1 ? statement : variable, null);
    }

    /** @return why removing {@code variable} is not mechanical, or null when it is */
    private static String unsafe(VariableDeclarator variable, Node scope, String name) {
        Optional<Expression> init = variable.getInitializer();
        if (init.isPresent() && !literal(init.get())) {
            return "its initializer is not a literal and may have side effects";
        }
        if (init.isPresent() && SecretLike.mayHold(variable.toString())) {
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
}
