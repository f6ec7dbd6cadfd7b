package io.harmonix.fleet.builds.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The workflow definition of a planned fleet build: one task per repository (component {@code fleet}, action
 * {@code build}), depending on the tasks of its dependencies it builds too. A failed repository must not stop the
 * others, so each task tolerates its failure ({@code on_failure: continue}) and runs only when each of its
 * dependencies succeeded ({@code when}): a dependent of a failed (or not run) repository ends skipped, and so on
 * down the graph, while independent branches go on. The task's only input is the build's key: what it runs is in
 * the kept plan, never in the text, where a command's {@code ${...}} would be read as an expression.
 */
final class WorkflowText {
    static final String NAME = "fleet_build";
    static final String COMPONENT = "fleet";
    static final String ACTION = "build";

    private WorkflowText() {
    }

    static String of(Plan plan) {
        StringBuilder tasks = new StringBuilder();
        for (String name : plan.built()) {
            String task = plan.tasks().get(name);
            tasks.append("  ").append(task).append(":\n")
                    .append("    component: ").append(COMPONENT).append('\n')
                    .append("    action: ").append(ACTION).append('\n')
                    .append("    on_failure: continue\n")
                    .append("    input: {build: \"${input.build}\"}\n");
            List<String> dependencies = plan.dependencies().get(name).stream().map(plan.tasks()::get).toList();
            if (!dependencies.isEmpty()) {
                tasks.append("    depends_on: [").append(String.join(", ", dependencies)).append("]\n")
                        .append("    when: \"${").append(String.join(" && ", dependencies.stream()
                                .map(d -> "tasks." + d + ".state == 'succeeded'").toList())).append("}\"\n");
            }
        }
        String body = "description: \"fleet build of " + plan.built().size() + " repositories in "
                + plan.levels().size() + " level(s)\"\n"
                + "parallelism: " + plan.parallel() + "\n"
                + "input:\n  build: {type: string}\n"
                + "tasks:\n" + tasks;
        // the same plan shape gives the same version: rebuilding a fleet does not add a definition each time
        return "name: " + NAME + "\nversion: \"" + hash(body) + "\"\n" + body;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
