package io.harmonix.agent.architecture.internal;

import io.harmonix.enhance.api.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small multi-module Maven project in a real git repository, with planted problems:
 * <ul>
 * <li>a package cycle in module alpha: alpha.internal uses alpha.util twice (GreeterImpl, Cache), alpha.util uses
 * alpha.internal once (Strings.java line 3): the cheapest edge to cut is util -> internal</li>
 * <li>a module cycle: beta uses alpha twice (Main.java), alpha uses beta once (alpha.spi.Hook, Hook.java line 3)</li>
 * <li>a layering violation: beta's Main imports alpha's internal GreeterImpl (Main.java line 4)</li>
 * </ul>
 * {@link #fix()} removes the three, leaving the rest as it was.
 */
final class ModularFixture {
    static final String STRINGS = "alpha/src/main/java/com/example/alpha/util/Strings.java";
    static final String HOOK = "alpha/src/main/java/com/example/alpha/spi/Hook.java";
    static final String MAIN = "beta/src/main/java/com/example/beta/Main.java";
    static final String RULES = "# internals stay in their module\n"
            + "deny ..internal.. from other-module\n"
            + "deny ..api.. -> ..internal..   # the API never sees the implementation\n";

    final Path root;
    private final GitRepo repo;

    ModularFixture(Path root) throws Exception {
        this.repo = GitRepo.init(root);
        this.root = repo.root();
        write("pom.xml", pom("fixture-parent", "<packaging>pom</packaging>"));
        write("alpha/pom.xml", pom("alpha", "<build><plugins><plugin><artifactId>bnd-maven-plugin</artifactId>"
                + "</plugin></plugins></build>"));
        write("beta/pom.xml", pom("beta", "<build><plugins><plugin><artifactId>bnd-maven-plugin</artifactId>"
                + "</plugin></plugins></build>"));
        write(".harmonix/architecture.rules", RULES);
        String alpha = "alpha/src/main/java/com/example/alpha/";
        write(alpha + "api/package-info.java", "@Export\n@Version(\"1.0.0\")\npackage com.example.alpha.api;\n\n"
                + "import org.osgi.annotation.bundle.Export;\nimport org.osgi.annotation.versioning.Version;\n");
        write(alpha + "api/Greeter.java", "package com.example.alpha.api;\n\npublic interface Greeter {\n"
                + "    String greet(String name);\n}\n");
        write(alpha + "internal/GreeterImpl.java", "package com.example.alpha.internal;\n\n"
                + "import com.example.alpha.api.Greeter;\nimport com.example.alpha.util.Strings;\n\n"
                + "public class GreeterImpl implements Greeter {\n    public String greet(String name) {\n"
                + "        return \"Hello, \" + Strings.trim(name);\n    }\n}\n");
        write(alpha + "internal/Cache.java", "package com.example.alpha.internal;\n\n"
                + "import com.example.alpha.util.Strings;\n\nclass Cache {\n"
                + "    String key(String s) {\n        return Strings.trim(s);\n    }\n}\n");
        write(STRINGS, strings(true));
        write(HOOK, hook(true));
        // spi is exported without a version: an unversioned export
        write(alpha + "spi/package-info.java", "@org.osgi.annotation.bundle.Export\npackage com.example.alpha.spi;\n");
        write("beta/src/main/java/com/example/beta/names/Names.java", "package com.example.beta.names;\n\n"
                + "public final class Names {\n    public static String defaultName() {\n"
                + "        return \"world\";\n    }\n}\n");
        write(MAIN, main(true));
        write("beta/src/test/java/com/example/beta/MainTest.java",
                "package com.example.beta;\n\nclass MainTest {\n}\n");
        write("README.md", "# fixture\n");
        commit("fixture");
    }

    /** Removes the planted cycles and the layering violation. */
    ModularFixture fix() throws Exception {
        write(STRINGS, strings(false));
        write(HOOK, hook(false));
        write(MAIN, main(false));
        return commit("fix the cycles and the layering");
    }

    static String strings(boolean cyclic) {
        return "package com.example.alpha.util;\n\n"
                + (cyclic ? "import com.example.alpha.internal.GreeterImpl;\n" : "\n")
                + "\npublic final class Strings {\n    public static String trim(String s) {\n"
                + "        return s == null ? \"\" : s.trim();\n    }\n"
                + (cyclic ? "\n    static Object make() {\n        return new GreeterImpl();\n    }\n" : "") + "}\n";
    }

    static String hook(boolean cyclic) {
        return "package com.example.alpha.spi;\n\n"
                + (cyclic ? "import com.example.beta.names.Names;\n" : "\n")
                + "\npublic interface Hook {\n    default String name() {\n        return "
                + (cyclic ? "Names.defaultName()" : "\"world\"") + ";\n    }\n}\n";
    }

    static String main(boolean violating) {
        return "package com.example.beta;\n\nimport com.example.alpha.api.Greeter;\n"
                + (violating ? "import com.example.alpha.internal.GreeterImpl;\n" : "\n")
                + "\npublic class Main {\n    public static void main(String[] args) {\n"
                + "        Greeter g = " + (violating ? "new GreeterImpl()" : "null") + ";\n"
                + "        System.out.println(g);\n    }\n}\n";
    }

    private static String pom(String artifactId, String more) {
        return "<?xml version=\"1.0\"?>\n<project>\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <parent><groupId>com.example</groupId><artifactId>fixture-parent</artifactId>"
                + "<version>1</version></parent>\n  <groupId>com.example</groupId>\n  <artifactId>" + artifactId
                + "</artifactId>\n  <version>1</version>\n  " + more + "\n</project>\n";
    }

    ModularFixture write(String file, String text) throws IOException {
        repo.write(file, text);
        return this;
    }

    ModularFixture commit(String message) throws Exception {
        repo.commit(message);
        return this;
    }

    void git(String... args) throws Exception {
        repo.git(args);
    }
}
