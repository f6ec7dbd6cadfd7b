package io.harmonix.proposals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.enhance.api.Severity;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.store.testing.StartedTogether;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals submitted and steps recorded at the same moment right after the runtime started (agents of a wave,
 * validations resumed): both tables take ids from an identity column, which Derby fails at once with 40XL1 when
 * two connections insert together while it allocates a range (docs/architecture.md), unless inserted one at a time.
 */
class EnhancementStoreConcurrencyTest {
    private static final int ROUNDS = 12;
    private static final int TOGETHER = 4;

    @TempDir
    Path dir;

    @Test
    void enhancementsAndStepsRecordedTogetherAfterEachRestartAreAllKept() throws Exception {
        Set<Long> ids = new ConcurrentSkipListSet<>();
        List<String> failures = StartedTogether.afterEachBoot(dir, EnhancementStore.COMPONENT,
                EnhancementStore.MIGRATIONS, ROUNDS, TOGETHER, (dataSource, round, thread) -> {
                    EnhancementStore store = new EnhancementStore(dataSource);
                    long id = store.insert(new EnhancementStore.Draft("wave", "quality.test", "quality", "rule",
                            "fp-" + round + "-" + thread, Severity.LOW, "", "shop", "/src/shop",
                            new EnhancementStore.Commands("true", null), "a".repeat(40), "diff", "title", "details",
                            null));
                    store.record(id, new ValidationStep("build", true, null, "built", Duration.ofMillis(5)));
                    ids.add(id);
                });
        assertEquals(List.of(), failures, "every proposal and step is recorded");
        assertEquals(ROUNDS * TOGETHER, ids.size(), "each with an id of its own: " + ids);
    }
}
