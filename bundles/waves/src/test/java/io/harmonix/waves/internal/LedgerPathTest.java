package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.DiscoveryReport;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.sandbox.testing.TestSandbox;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementStatus;
import io.harmonix.proposals.testing.TestLedger;
import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveReport;
import io.harmonix.waves.api.WaveRequest;
import io.harmonix.waves.api.WaveSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wave's proposals into the REAL enhancement ledger (the proposals bundle's test fixture: its Derby tables, the
 * durable workflow engine with the shipped validation workflow, the fleet's sandboxed executor): each surviving
 * proposal becomes one enhancement of the wave, validated once and committed on its branch; the same proposals made
 * again, in the wave's next cycle and by a second wave, start no second validation.
 */
class LedgerPathTest {
    @TempDir
    Path dir;

    @Test
    void aWavesProposalsAreRecordedValidatedOnceAndCommittedOnTheirBranches() throws Exception {
        try (WaveFixture fx = WaveFixture.open(dir, 8);
                TestLedger ledger = TestLedger.open(fx.db.dataSource(), fx.db.migrator(), TestSandbox.settings()
                        .timeLimit(Duration.ofMinutes(1)).open(dir.resolve("home"), fx.db.dataSource(),
                                fx.db.migrator()).executor(), dir.resolve("scratch"))) {
            // the catalogue's entry of the fixture repository: what validation builds and tests
            Repository repo = new Repository("fx", fx.repo().toString(), "java", "true", "test -f alpha/A.java",
                    List.of(), List.of(), "manifest", null);
            fx.sink(new LedgerSink(ledger::ledger, () -> catalogue(repo),
                    id -> fx.coordinator.wave(id).map(Wave::target).orElse(null)));
            // the agent that confirms each fix in validation, as a running instance of the type would
            ledger.agent(new MarkerAgent("quality", fx.repo().toString(), List.of()), "quality", "quality.check");
            String head = fx.git.head();

            Wave wave = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                    List.of("alpha", "beta", "delta"), 2, Duration.ZERO));
            fx.awaitEnd(wave.id());

            WaveReport report = fx.waves.report(wave.id());
            assertEquals(3, report.proposals().size(), "alpha's FIXME, beta's smaller TODO, delta's TODO: "
                    + report.proposals());
            List<Enhancement> recorded = ledger.ledger().enhancements(null, wave.id());
            assertEquals(3, recorded.size(), recorded.toString());
            assertEquals(report.proposals().stream().map(p -> p.enhancementId()).collect(Collectors.toSet()),
                    recorded.stream().map(e -> Long.toString(e.id())).collect(Collectors.toSet()),
                    "the wave names the ledger's records");
            for (Enhancement e : recorded) {
                Enhancement done = ledger.awaitValidation(e.id(), Duration.ofMinutes(2));
                assertEquals(EnhancementStatus.VALIDATED, done.status(), done.reason() + " " + done.validation());
                assertTrue(done.agentId().startsWith("quality." + wave.id() + "-"), done.agentId());
                assertEquals("harmonix/enhance/" + e.id(), done.branch());
                assertEquals(done.resultCommit(), fx.git.git("rev-parse", done.branch()).strip());
            }
            assertEquals(3, ledger.validations(), "one validation per proposal, though cycle 2 made them again");

            // a second wave over the same components proposes the same fixes on the same commit
            Wave again = fx.waves.start(new WaveRequest(fx.repo().toString(), WaveSize.SMALL, Focus.QUALITY,
                    List.of("alpha", "beta", "delta"), 1, Duration.ZERO));
            fx.awaitEnd(again.id());
            WaveReport second = fx.waves.report(again.id());
            assertEquals(3, second.proposals().size());
            assertTrue(second.proposals().stream().allMatch(p -> p.status().equals("validated (already recorded)")),
                    second.proposals().toString());
            assertEquals(Set.copyOf(recorded.stream().map(e -> Long.toString(e.id())).toList()),
                    second.proposals().stream().map(p -> p.enhancementId()).collect(Collectors.toSet()),
                    "the same records");
            assertEquals(List.of(), ledger.ledger().enhancements(null, again.id()), "no record of its own");
            assertEquals(3, ledger.validations(), "no validation started twice");
            assertEquals(head, fx.git.head(), "the main branch is not moved");
            assertEquals(3, ledger.ledger().enhancements(EnhancementStatus.VALIDATED).size());
        }
    }

    /** The fleet catalogue with one repository: the one part of the runtime this test does not run for real. */
    private static FleetCatalogue catalogue(Repository repo) {
        return new FleetCatalogue() {
            @Override
            public DiscoveryReport discover() {
                throw new UnsupportedOperationException("not discovered in this test");
            }

            @Override
            public List<Repository> repositories() {
                return List.of(repo);
            }

            @Override
            public Optional<Repository> repository(String name) {
                return Optional.of(repo).filter(r -> r.name().equals(name));
            }

            @Override
            public Optional<DiscoveryReport> lastDiscovery() {
                return Optional.empty();
            }
        };
    }
}
