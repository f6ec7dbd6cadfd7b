package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The shipped {@value AutonomyController#WORKFLOW} workflow (version {@value #VERSION}), deployed when the bundle
 * starts. Unlike a validation workflow it is not the user's to replace: the phases' handlers depend on its task names,
 * so the shipped version is deployed again at every start and runs start it by that version.
 */
final class ControllerWorkflow {
    static final String VERSION = "harmonix-1";
    static final String RESOURCE = "autonomy-controller.yaml";

    private ControllerWorkflow() {
    }

    static String text() {
        try (InputStream in = ControllerWorkflow.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys it; the engine refuses a definition whose handlers it does not know yet (this bundle's handler registers
     * with it as the bundle starts), so a refusal for that reason is tried again, for a minute at most.
     *
     * @return true once deployed
     */
    static boolean deploy(WorkflowService workflows, Consumer<String> log) throws InterruptedException {
        String text = text();
        for (long deadline = System.nanoTime() + 60_000_000_000L; ; Thread.sleep(100)) {
            try {
                workflows.deploy("bundle io.harmonix.autonomy: " + RESOURCE, text);
                return true;
            } catch (WorkflowValidationException e) {
                boolean handlersMissing = e.getMessage().contains("no task handler serves");
                if (!handlersMissing || System.nanoTime() > deadline) {
                    log.accept("autonomy: " + AutonomyController.WORKFLOW + " not deployed: " + e.getMessage());
                    return false;
                }
            }
        }
    }
}
