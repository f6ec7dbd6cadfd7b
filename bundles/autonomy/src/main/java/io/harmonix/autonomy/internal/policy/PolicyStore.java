package io.harmonix.autonomy.internal.policy;

import io.harmonix.autonomy.api.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The policies in force: those of the policy file, read at their first use and again when its text changes. A file
 * that is refused (a syntax error, an unknown policy id, a schema violation) leaves the policies in force as they
 * were (at first, the defaults shipped in the bundle, the same file as {@code etc/autonomy-policies.yaml} of the
 * distribution) and its problems are reported once per text and kept for whoever shows the state.
 *
 * <p>Nothing is read when the store is made: the decision log that holds it is activated at every start, exec mode's
 * one-shot commands included, and parsing and validating the two files (YAML, JSON Schema) was a cost of each.
 */
public final class PolicyStore {
    static final String DEFAULTS = "autonomy-policies.yaml";

    private final Path file;
    private final Consumer<String> report;
    private final Consumer<List<Policy>> inForce;
    /** The policies in force; null until the first read. */
    private List<Policy> policies;
    private List<String> problems = List.of();
    /** The text last read (null: no file), so that an unchanged file is not parsed again. */
    private String seen;
    private boolean read;

    /**
     * @param file the policy file; absent, the defaults are in force
     * @param report where a refused file's problems go (the component logs them as errors)
     */
    public PolicyStore(Path file, Consumer<String> report) {
        this(file, report, p -> { });
    }

    /**
     * @param inForce told the policies each time they come into force: at the first read, and when a changed file
     *     is accepted or removed (the component logs them)
     */
    public PolicyStore(Path file, Consumer<String> report, Consumer<List<Policy>> inForce) {
        this.file = file;
        this.report = report;
        this.inForce = inForce;
    }

    /** @return the policies shipped in the bundle */
    public static List<Policy> defaults() {
        try (InputStream in = PolicyStore.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " missing from the bundle (copied from distribution)");
            }
            PolicyFile.Result r = PolicyFile.read("(bundled) " + DEFAULTS,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!r.valid()) {
                throw new IllegalStateException("the bundled policies do not validate: " + r.problems());
            }
            return r.policies();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled " + DEFAULTS, e);
        }
    }

    public Path file() {
        return file;
    }

    /** @return the policies in force, the file read again first if its text changed */
    public synchronized List<Policy> policies() {
        refresh();
        return policies;
    }

    /** @return the problems of the file as last read (empty when it is in force, or absent) */
    public synchronized List<String> problems() {
        refresh();
        return problems;
    }

    private void refresh() {
        boolean first = policies == null;
        if (first) {
            policies = defaults();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = null;
        } catch (IOException e) {
            if (!List.of(file + ": cannot be read: " + e.getMessage()).equals(problems)) {
                problems = List.of(file + ": cannot be read: " + e.getMessage());
                report.accept(problems.get(0) + "; the policies in force stay");
            }
            if (first) {
                inForce.accept(policies); // the defaults: told as at any first read
            }
            return;
        }
        if (read && java.util.Objects.equals(text, seen)) {
            return;
        }
        read = true;
        seen = text;
        if (text == null) {
            policies = first ? policies : defaults();
            problems = List.of();
            inForce.accept(policies);
            return;
        }
        PolicyFile.Result r = PolicyFile.read(file.toString(), text);
        if (r.valid()) {
            policies = r.policies();
            problems = List.of();
            inForce.accept(policies);
        } else {
            problems = r.problems();
            problems.forEach(p -> report.accept(p + " (the file is refused; the policies in force stay: "
                    + policies.stream().map(Policy::id).toList() + ")"));
            if (first) {
                inForce.accept(policies); // the defaults
            }
        }
    }
}
