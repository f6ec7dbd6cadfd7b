package io.harmonix.agent.quality.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The programming language of a file, by its extension, for the files this agent does not analyse: they are
 * reported by language in {@code Analysis.notAnalysed} rather than skipped in silence. Only source code counts:
 * documentation, data and configuration (Markdown, JSON, YAML, XML, properties...) are not code a quality agent
 * could analyse, so listing them would only bury the languages that matter.
 */
final class Languages {
    static final String JAVA = "java";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("java", JAVA),
            Map.entry("kt", "kotlin"), Map.entry("kts", "kotlin"),
            Map.entry("scala", "scala"), Map.entry("groovy", "groovy"), Map.entry("clj", "clojure"),
            Map.entry("py", "python"),
            Map.entry("js", "javascript"), Map.entry("mjs", "javascript"), Map.entry("cjs", "javascript"),
            Map.entry("jsx", "javascript"),
            Map.entry("ts", "typescript"), Map.entry("tsx", "typescript"),
            Map.entry("go", "go"), Map.entry("rs", "rust"),
            Map.entry("c", "c"), Map.entry("h", "c"),
            Map.entry("cc", "c++"), Map.entry("cpp", "c++"), Map.entry("cxx", "c++"), Map.entry("hpp", "c++"),
            Map.entry("hh", "c++"),
            Map.entry("cs", "csharp"), Map.entry("fs", "fsharp"), Map.entry("vb", "visual-basic"),
            Map.entry("swift", "swift"), Map.entry("m", "objective-c"), Map.entry("mm", "objective-c"),
            Map.entry("rb", "ruby"), Map.entry("php", "php"), Map.entry("pl", "perl"), Map.entry("pm", "perl"),
            Map.entry("lua", "lua"), Map.entry("r", "r"), Map.entry("dart", "dart"),
            Map.entry("ex", "elixir"), Map.entry("exs", "elixir"), Map.entry("erl", "erlang"),
            Map.entry("hs", "haskell"), Map.entry("ml", "ocaml"), Map.entry("zig", "zig"),
            Map.entry("sh", "shell"), Map.entry("bash", "shell"), Map.entry("zsh", "shell"),
            Map.entry("ps1", "powershell"), Map.entry("sql", "sql"));

    private Languages() {
    }

    /** @return the language of {@code file} (a '/'-separated path), or empty when it is not source code */
    static Optional<String> of(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
