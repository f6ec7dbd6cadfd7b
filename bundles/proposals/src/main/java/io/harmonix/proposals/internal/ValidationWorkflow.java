package io.harmonix.proposals.internal;

import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The shipped {@value EnhancementLedger#VALIDATION_WORKFLOW} workflow (a resource of this bundle, version
 * {@value #VERSION}) and the rule that lets users replace it: it is deployed when no version of that name is, and
 * deployed again (updated) when only its own version is; once another version is deployed, that one is the user's
 * and the shipped one is left alone. Validations start the latest version.
 */
final class ValidationWorkflow {
    static final String VERSION = "harmonix-1";
    static final String RESOURCE = "enhancement-validation.yaml";

    private ValidationWorkflow() {
    }

    static String text() {
        try (InputStream in = ValidationWorkflow.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys the shipped version unless another was deployed. A deploy refused because the engine does not know
     * this bundle's handlers yet (they register with it as this one starts) is tried again for a minute.
     *
     * @return true when the shipped version is deployed now
     */
    static boolean deploy(WorkflowService workflows, Consumer<String> log) {
        List<DefinitionInfo> others = workflows.definitions().stream()
                .filter(d -> d.name().equals(EnhancementLedger.VALIDATION_WORKFLOW))
                .filter(d -> !d.version().equals(VERSION)).toList();
        if (!others.isEmpty()) {
            log.accept("enhancement-validation: version " + others.get(others.size() - 1).version()
                    + " was deployed; the shipped version " + VERSION + " is left as it is");
            return false;
        }
        long until = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                workflows.deploy("bundle io.harmonix.proposals: " + RESOURCE, text());
                return true;
            } catch (WorkflowValidationException e) {
                if (!e.getMessage().contains("no task handler serves") || System.nanoTime() > until) {
                    log.accept("enhancement-validation: not deployed: " + e.getMessage());
                    return false;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
