package io.harmonix.agent.architecture.internal.graph;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a Java source file with JavaParser: its top-level types, and the names it refers to by import (with the
 * import's line) or fully qualified in the code (with that line). Which of them are types of the analysed code is
 * decided once every file is read ({@link GraphBuilder}).
 */
final class SourceReader {
    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17).setAttributeComments(false));

    /** Files larger than this are not read (counted as not analysed, "java (over 2 MiB)"). */
    static final long MAX_BYTES = 2L * 1024 * 1024;

    /**
     * @return null when the file was read, else why it was not, as the kind it is counted under in the files not
     *         analysed ("java (does not parse)", "java (not UTF-8)", "java (over 2 MiB)"): never silently dropped
     */
    String read(Path root, String file, String module, Consumer<TypeInfo> types, Consumer<RawReference> refs)
            throws IOException {
        Path path = root.resolve(file);
        if (Files.size(path) > MAX_BYTES) {
            return "java (over 2 MiB)";
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return "java (not UTF-8)";
        }
        ParseResult<CompilationUnit> result = parser.parse(text);
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            return "java (does not parse)";
        }
        CompilationUnit cu = result.getResult().get();
        String pkg = cu.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
        int pkgLine = cu.getPackageDeclaration().map(SourceReader::line).orElse(1);
        List<TypeDeclaration<?>> declared = cu.getTypes();
        if (declared.isEmpty()) {
            return null; // package-info.java, module-info.java: no type
        }
        for (TypeDeclaration<?> t : declared) {
            boolean abstractType = t.isAnnotationDeclaration() || (t instanceof ClassOrInterfaceDeclaration c
                    && (c.isInterface() || c.isAbstract()));
            types.accept(new TypeInfo(qualified(pkg, t.getNameAsString()), pkg, module, file, pkgLine,
                    abstractType));
        }
        String from = qualified(pkg, declared.get(0).getNameAsString());
        for (ImportDeclaration i : cu.getImports()) {
            refs.accept(new RawReference(from, pkg, i.getNameAsString(), i.isAsterisk(), file, line(i)));
        }
        for (ClassOrInterfaceType t : cu.findAll(ClassOrInterfaceType.class)) {
            if (t.getScope().isPresent() && !(t.getParentNode().orElse(null) instanceof ClassOrInterfaceType)) {
                refs.accept(new RawReference(from, pkg, t.getNameWithScope(), false, file, line(t)));
            }
        }
        for (FieldAccessExpr f : cu.findAll(FieldAccessExpr.class)) {
            // only the outermost of a chain (a.b.C.X), and only plain names: a.b.C.X() is a FieldAccessExpr a.b.C
            if (!(f.getParentNode().orElse(null) instanceof FieldAccessExpr) && isQualifiedName(f.toString())) {
                refs.accept(new RawReference(from, pkg, f.toString(), false, file, line(f)));
            }
        }
        return null;
    }

    private static boolean isQualifiedName(String s) {
        return s.indexOf('.') > 0 && Character.isLowerCase(s.charAt(0)) && s.chars().allMatch(c -> c == '.'
                || Character.isJavaIdentifierPart(c));
    }

    private static String qualified(String pkg, String name) {
        return pkg.isEmpty() ? name : pkg + "." + name;
    }

    private static int line(Node n) {
        return n.getBegin().map(p -> p.line).orElse(1);
    }
}
