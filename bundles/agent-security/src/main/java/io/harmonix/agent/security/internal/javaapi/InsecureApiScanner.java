package io.harmonix.agent.security.internal.javaapi;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.ReturnStmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The insecure-API rules ({@link JavaRules}) over one Java source, on its syntax tree. Each rule looks at call
 * shapes and names, not resolved types, so it needs no class path; the patterns are narrow enough that the fixed
 * form of each (a parameter, SHA-256, SecureRandom, a filter, a hardened factory, separate arguments, a key read
 * at run time) is not reported.
 */
public final class InsecureApiScanner {
    private static final Set<String> SQL_CALLS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "addBatch", "prepareStatement", "prepareCall", "createQuery", "createNativeQuery",
            "createSQLQuery");
    private static final Set<String> WEAK_HASHES = Set.of("MD2", "MD4", "MD5", "SHA-1", "SHA1", "SHA");
    private static final Set<String> XML_FACTORIES = Set.of("DocumentBuilderFactory", "SAXParserFactory",
            "XMLInputFactory", "TransformerFactory");
    private static final Set<String> XML_HARDENING = Set.of("disallow-doctype-decl", "FEATURE_SECURE_PROCESSING",
            "SUPPORT_DTD", "supportDTD", "ACCESS_EXTERNAL_DTD", "IS_SUPPORTING_EXTERNAL_ENTITIES",
            "external-general-entities", "secure-processing");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|token|passw|pwd|key|salt|nonce|otp"
            + "|csrf).*");
    private static final Pattern KEY_NAME = Pattern.compile("(?i).*(key|secret|passw|pwd).*");
    /** Names that hold the name of a secret, not the secret: {@code PASSWORD_PROPERTY = "db.password"}. */
    private static final Pattern NAME_OF_SECRET = Pattern.compile("(?i).*(property|prop|name|header|param|field|env"
            + "|file|path|prefix|suffix|type|algorithm|column|attribute|label|message|url|pattern)$");

    /** One rule's hit. {@code snippet} is the code (secrets in it redacted by the caller for hard-coded keys). */
    public record Hit(String ruleId, int line, int column, int endLine, int endColumn, String snippet,
            String message, String literal) {
    }

    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
    private final Set<String> disabled;

    public InsecureApiScanner(Set<String> disabledRuleIds) {
        this.disabled = Set.copyOf(disabledRuleIds);
    }

    /**
     * @return the hits in {@code source}, or null when it does not parse as Java 17
     */
    public List<Hit> scan(String source) {
        ParseResult<CompilationUnit> parsed = parser.parse(source);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            return null;
        }
        CompilationUnit cu = parsed.getResult().get();
        List<Hit> hits = new ArrayList<>();
        for (MethodCallExpr call : cu.findAll(MethodCallExpr.class)) {
            call(call, hits);
        }
        for (ObjectCreationExpr created : cu.findAll(ObjectCreationExpr.class)) {
            created(created, hits);
        }
        for (VariableDeclarator v : cu.findAll(VariableDeclarator.class)) {
            v.getInitializer().ifPresent(init -> assigned(v.getNameAsString(), init, v, hits));
        }
        for (AssignExpr a : cu.findAll(AssignExpr.class)) {
            String target = a.getTarget().isNameExpr() ? a.getTarget().asNameExpr().getNameAsString()
                    : a.getTarget().isFieldAccessExpr() ? a.getTarget().asFieldAccessExpr().getNameAsString() : "";
            assigned(target, a.getValue(), a, hits);
        }
        for (ReturnStmt r : cu.findAll(ReturnStmt.class)) {
            Optional<MethodDeclaration> m = r.findAncestor(MethodDeclaration.class);
            if (m.isPresent() && SECRET_NAME.matcher(m.get().getNameAsString()).matches()
                    && r.getExpression().map(this::insecureRandom).orElse(false)) {
                add(hits, JavaRules.INSECURE_RANDOM, r, "method " + m.get().getNameAsString() + "() returns a "
                        + "value from a predictable random generator", null);
            }
        }
        hits.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                : a.ruleId().compareTo(b.ruleId()));
        return hits;
    }

    private void call(MethodCallExpr call, List<Hit> hits) {
        String name = call.getNameAsString();
        String scope = call.getScope().map(Expression::toString).orElse("");
        if (SQL_CALLS.contains(name) && call.getArguments().isNonEmpty() && Code.built(call.getArgument(0))) {
            add(hits, JavaRules.SQL, call, name + "() gets SQL built from strings: " + call.getArgument(0)
                    + " (use ? parameters)", null);
        } else if (name.equals("getInstance") && call.getArguments().isNonEmpty()) {
            String algorithm = Code.literal(call.getArgument(0));
            String upper = algorithm == null ? "" : algorithm.toUpperCase(Locale.ROOT);
            if (scope.endsWith("MessageDigest") && WEAK_HASHES.contains(upper)) {
                add(hits, JavaRules.WEAK_HASH, call, "MessageDigest " + algorithm + " is broken for security "
                        + "uses", null);
            } else if (scope.endsWith("Cipher") && (upper.startsWith("DES") || upper.startsWith("RC2")
                    || upper.startsWith("RC4") || upper.contains("/ECB") || upper.equals("AES"))) {
                add(hits, JavaRules.WEAK_CIPHER, call, "Cipher " + algorithm + (upper.equals("AES")
                        ? " means AES/ECB, which shows patterns of the plain text" : " is weak"), null);
            }
        } else if ((name.equals("readObject") || name.equals("readUnshared")) && call.getArguments().isEmpty()) {
            deserialisation(call, hits);
        } else if (XML_FACTORIES.contains(scope.substring(scope.lastIndexOf('.') + 1)) && name.startsWith("new")
                && !hardened(Code.scope(call))) {
            add(hits, JavaRules.XXE, call, scope + " made without disallowing DOCTYPEs or secure processing in "
                    + "the same method: external entities can read files or reach the network", null);
        } else if (name.equals("exec") && (scope.endsWith("getRuntime()") || scope.equals("runtime"))
                && call.getArguments().isNonEmpty() && Code.built(call.getArgument(0))) {
            add(hits, JavaRules.COMMAND, call, "Runtime.exec runs a command line built from strings", null);
        } else if (name.equals("nextBytes") && call.getArguments().isNonEmpty() && randomScope(call)
                && SECRET_NAME.matcher(call.getArgument(0).toString()).matches()) {
            add(hits, JavaRules.INSECURE_RANDOM, call, call.getArgument(0) + " is filled from a predictable "
                    + "random generator", null);
        }
    }

    private void created(ObjectCreationExpr created, List<Hit> hits) {
        String type = Code.simple(created.getTypeAsString());
        if (type.equals("ProcessBuilder") && created.getArguments().stream().anyMatch(this::builtArgument)) {
            add(hits, JavaRules.COMMAND, created, "ProcessBuilder gets a command built from strings", null);
        } else if (type.equals("SecretKeySpec") && created.getArguments().isNonEmpty()
                && Code.literalKey(created.getArgument(0), 0)) {
            add(hits, JavaRules.HARDCODED_KEY, created, "SecretKeySpec gets a key written in the code", null);
        } else if (type.equals("PBEKeySpec") && created.getArguments().isNonEmpty()
                && Code.literalKey(created.getArgument(0), 0)) {
            add(hits, JavaRules.HARDCODED_KEY, created, "PBEKeySpec gets a password written in the code", null);
        }
    }

    private boolean builtArgument(Expression e) {
        if (Code.built(e)) {
            return true;
        }
        if (e instanceof MethodCallExpr m && (m.getNameAsString().equals("of") || m.getNameAsString()
                .equals("asList"))) {
            return m.getArguments().stream().anyMatch(Code::built);
        }
        return e.isArrayCreationExpr() && e.asArrayCreationExpr().getInitializer()
                .map(i -> i.getValues().stream().anyMatch(Code::built)).orElse(false);
    }

    /** A value given to a variable or field: insecure random for a secret, or a hard-coded key or password. */
    private void assigned(String target, Expression value, Node at, List<Hit> hits) {
        if (target.isEmpty()) {
            return;
        }
        if (SECRET_NAME.matcher(target).matches() && insecureRandom(value)) {
            add(hits, JavaRules.INSECURE_RANDOM, at, target + " is made with a predictable random generator",
                    null);
        }
        if (value.isStringLiteralExpr() && KEY_NAME.matcher(target).matches()
                && !NAME_OF_SECRET.matcher(target).matches()) {
            String literal = value.asStringLiteralExpr().getValue();
            if (literal.length() >= 8 && !literal.matches(".*[\\s/].*") && !literal.contains("${")
                    && !literal.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+")) {
                add(hits, JavaRules.HARDCODED_KEY, at, target + " is given a literal that looks like a key or "
                        + "password", literal);
            }
        }
    }

    private boolean insecureRandom(Expression e) {
        for (ObjectCreationExpr c : withSelf(e, ObjectCreationExpr.class)) {
            if (Code.simple(c.getTypeAsString()).equals("Random")) {
                return true;
            }
        }
        for (MethodCallExpr m : withSelf(e, MethodCallExpr.class)) {
            String scope = m.getScope().map(Expression::toString).orElse("");
            if (scope.equals("Math") && m.getNameAsString().equals("random")
                    || scope.endsWith("ThreadLocalRandom.current()") || scope.endsWith("RandomStringUtils")
                    || randomScope(m)) {
                return true;
            }
        }
        return false;
    }

    /** @return true when the call is on a variable declared as (or given) a {@code java.util.Random} */
    private static boolean randomScope(MethodCallExpr m) {
        if (m.getScope().isEmpty() || !(m.getScope().get() instanceof NameExpr n)) {
            return false;
        }
        if (Code.typeOf(n).equals("Random")) {
            return true;
        }
        return Code.values(n).stream().anyMatch(v -> v instanceof ObjectCreationExpr c
                && Code.simple(c.getTypeAsString()).equals("Random"));
    }

    /** JavaParser's findAll includes the node itself. */
    private static <T extends Node> List<T> withSelf(Expression e, Class<T> type) {
        return e.findAll(type);
    }

    private void deserialisation(MethodCallExpr call, List<Hit> hits) {
        Expression scope = call.getScope().orElse(null);
        boolean stream = scope instanceof ObjectCreationExpr c && Code.simple(c.getTypeAsString())
                .equals("ObjectInputStream") || scope instanceof NameExpr n && Code.typeOf(n)
                .equals("ObjectInputStream");
        if (!stream) {
            return;
        }
        Node method = Code.scope(call);
        if (method instanceof CallableDeclaration<?> d && (d.getNameAsString().equals("readObject")
                || d.getNameAsString().equals("readExternal"))) {
            return; // custom serialisation of a class reads its own fields
        }
        boolean filtered = method.findAll(MethodCallExpr.class).stream().anyMatch(m -> m.getNameAsString()
                .equals("setObjectInputFilter"));
        if (!filtered) {
            add(hits, JavaRules.DESERIALIZATION, call, call.getNameAsString() + "() deserialises a stream with no "
                    + "ObjectInputFilter: a crafted stream can run code through gadget classes", null);
        }
    }

    private static boolean hardened(Node method) {
        for (MethodCallExpr m : method.findAll(MethodCallExpr.class)) {
            String args = m.getArguments().toString();
            if (m.getNameAsString().startsWith("set") && XML_HARDENING.stream().anyMatch(args::contains)) {
                return true;
            }
        }
        return false;
    }

    private void add(List<Hit> hits, String rule, Node at, String message, String literal) {
        if (disabled.contains(rule) || at.getRange().isEmpty()) {
            return;
        }
        var r = at.getRange().get();
        hits.add(new Hit(rule, r.begin.line, r.begin.column, r.end.line, r.end.column, at.toString(), message,
                literal));
    }
}
