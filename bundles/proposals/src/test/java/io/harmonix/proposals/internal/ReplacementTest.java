package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.workflow.api.DefinitionInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user's version of enhancement-validation replaces the shipped one, and stays when the bundle starts again. */
class ReplacementTest extends WithFixture {
    /** A stricter-looking, shorter validation: apply, then the tests only, then decide. */
    private static final String MINE = """
            name: enhancement-validation
            version: 2
            input:
              id: {type: integer}
            tasks:
              prepare: {component: enhancement, action: prepare, input: {id: "${input.id}"}}
              tests:
                component: enhancement
                action: tests
                input: {id: "${input.id}"}
                depends_on: [prepare]
                when: "${tasks.prepare.output.passed}"
              decide:
                component: enhancement
                action: decide
                depends_on: [prepare, tests]
                input: {id: "${input.id}", errors: {}}
            """;


    @Test
    void theLatestVersionValidatesAndTheShippedOneIsNotRedeployedOverIt() throws Exception {
        assertEquals(List.of(ValidationWorkflow.VERSION), versions());
        fx.engine.deploy("mine.yaml", MINE);
        List<String> log = new ArrayList<>();
        assertFalse(ValidationWorkflow.deploy(fx.engine, log::add), "the bundle starting again leaves it");
        assertEquals(List.of("enhancement-validation: version 2 was deployed; the shipped version harmonix-1 is left "
                + "as it is"), log);

        Enhancement e = fx.submit(fx.handMade("a", Fixture.REMOVE_MAP_IMPORT));
        Enhancement done = fx.validate(e.id());
        assertEquals(EnhancementStatus.VALIDATED, done.status(), done.reason());
        assertEquals(List.of("prepare", "tests"), done.validation().stream().map(ValidationStep::name).toList());
        assertEquals("2", fx.engine.instance(done.workflowInstance()).orElseThrow().version());
        assertTrue(done.validation().stream().allMatch(ValidationStep::passed));
    }

    private List<String> versions() {
        return fx.engine.definitions().stream().filter(d -> d.name().equals(EnhancementLedger.VALIDATION_WORKFLOW))
                .map(DefinitionInfo::version).toList();
    }
}
