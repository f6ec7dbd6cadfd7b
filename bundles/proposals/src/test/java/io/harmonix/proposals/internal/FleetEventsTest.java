package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.harmonix.workflow.api.Event;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the fleet's events say broke a repository, as the automatic rollback reads them. */
class FleetEventsTest extends WithFixture {
    @Test
    void aBrokenEventNamesTheRepositoryAndTheCommitAnUnhealthyOneOnlyTheRepository() {
        Event broken = new Event("1", "harmonix.fleet.builds", LedgerComponent.BROKEN_EVENT, Instant.now(), "shop",
                Map.of("repository", "shop", "commit", "a".repeat(40), "head", "b".repeat(40)));
        assertEquals("shop", FleetEvents.repository(broken));
        assertEquals("a".repeat(40), FleetEvents.commit(broken));
        Event unhealthy = new Event("2", "harmonix.fleet.builds", LedgerComponent.UNHEALTHY_EVENT, Instant.now(),
                "shop", Map.of("consecutiveFailures", 3));
        assertEquals("shop", FleetEvents.repository(unhealthy), "the subject when the data has no repository");
        assertNull(FleetEvents.commit(unhealthy));
        assertEquals(java.util.List.of(), fx.ledger().repositoryBroken("shop", null), "no commit: nothing to roll back");
    }
}
