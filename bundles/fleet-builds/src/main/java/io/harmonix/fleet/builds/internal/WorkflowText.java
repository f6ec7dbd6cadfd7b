package io.harmonix.fleet.builds.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The workflow definitions of a planned fleet build. The build, {@code fleet_build}: one task per repository, a
 * {@code workflow/run} of {@value #CHILD}, depending on the tasks of its dependencies it builds too. A failed
 * repository must not stop the others, so each task tolerates its failure ({@code on_failure: continue}) and runs
 * only when each of its dependencies succeeded ({@code when}): a dependent of a failed (or not run) repository ends
 * skipped, and so on down the graph, while independent branches go on.
 *
 * <p>Each repository is a sub-workflow, {@value #CHILD} (one task, component {@code fleet}, action {@code build}),
 * because the instance is what runtimes share ({@code maxInstances}, leases): a repository's check runs in whichever
 * runtime of a cluster has room, while the build, waiting for its children, takes none. The child's id derives from
 * its parent task's idempotency key, so the build resumed after a crash or a takeover finds each child it started.
 * The only inputs are the build's key and the repository's task: what it runs is in the kept plan, never in the text,
 * where a command's {@code ${...}} would be read as an expression.
 */
final class WorkflowText {
    static final String NAME = "fleet_build";
    static final String CHILD = "fleet_repository";
    static final String COMPONENT = "fleet";
    static final String ACTION = "build";
    /** The one repository's workflow; deployed with each build (known to every runtime by the database). */
    static final String CHILD_TEXT = child();

    private WorkflowText() {
    }

    private static String child() {
        String body = "description: \"one repository's build and tests in a fleet build (a child of " + NAME
                + ")\"\n"
                + "input:\n  build: {type: string}\n  task: {type: string}\n"
                + "tasks:\n  build:\n    component: " + COMPONENT + "\n    action: " + ACTION + "\n"
                + "    input: {build: \"${input.build}\", task: \"${input.task}\"}\n";
        return "name: " + CHILD + "\nversion: \"" + hash(body) + "\"\n" + body;
    }

    /** @return the version of {@link #CHILD_TEXT} */
    static String childVersion() {
        return CHILD_TEXT.substring(CHILD_TEXT.indexOf("version: \"") + 10, CHILD_TEXT.indexOf("\"\n", CHILD_TEXT
                .indexOf("version: \"") + 10));
    }

    static String of(Plan plan) {
        StringBuilder tasks = new StringBuilder();
        for (String name : plan.built()) {
            String task = plan.tasks().get(name);
            tasks.append("  ").append(task).append(":\n")
                    .append("    component: workflow\n")
                    .append("    action: run\n")
                    .append("    on_failure: continue\n")
                    .append("    input: {workflow: ").append(CHILD).append(", version: \"").append(childVersion())
                    .append("\", input: {build: \"${input.build}\", task: ").append(task).append("}}\n");
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
