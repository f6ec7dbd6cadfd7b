package io.harmonix.autonomy.internal.change;

import static io.harmonix.autonomy.internal.change.ChangeFixture.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.store.testing.DerbyFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 between the decision record and the ref update: a separate JVM ships, stops at that point, and is killed
 * with SIGKILL; the next ship, in this JVM over the same repository, database and decision index, ships once and
 * keeps the first decision.
 */
class ShipCrashTest {
    @TempDir
    Path root;

    /** The JVM that is killed: ships the change and waits at {@code args[2]} until the kill. */
    public static void main(String[] args) throws Exception {
        ChangeFixture f = new ChangeFixture(Path.of(args[0]), false);
        f.changes.shipper().crashPoint(point -> {
            if (point.equals(args[2])) {
                System.out.println("AT " + point);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        f.changes.ship(Long.parseLong(args[1]), ShipTest.ON, "run-1");
        System.out.println("NOT STOPPED");
    }

    @Test
    void killedAfterTheDecisionTheNextShipShipsOnceAndKeepsIt() throws Exception {
        ChangeFixture f = new ChangeFixture(root);
        try {
            ChangeRequest c = f.changes.open(List.of(f.fix("00000000000000a9", "fix", Risk.LOW, null,
                    f.fixDiff(""))), false, "run-1").get(0);
            c = f.changes.verify(c.id(), "run-1");
            String before = f.main();
            f.stop();

            killAt(c.id(), "decided");

            f.start();
            assertEquals(before, f.main(), "the killed ship did not move main");
            List<String> decided = f.changes.change(c.id()).orElseThrow().decisionIds();
            assertEquals(2, decided.size(), "the candidate's decision and the ship's: " + decided);
            String ship = decided.get(1);
            assertEquals("ship", f.decisions.decision(ship).orElseThrow().decision());
            assertTrue(f.decisions.decision(ship).orElseThrow().allowed());

            ShipOutcome o = f.changes.ship(c.id(), ShipTest.ON, "run-1");
            assertTrue(o.shipped(), o.decision().reasons().toString());
            assertEquals(before, git(f.repo, "rev-parse", "main^"), "one commit: shipped once");
            assertEquals(c.verifiedCommit(), f.main(), "the checked candidate");
            assertEquals(ship, o.decision().id(), "the ship goes on under the decision recorded before the kill");
            assertEquals(decided, o.change().decisionIds(), "and no other decision");
            assertEquals(1, f.changes.shippedOn(LocalDate.now(ShipTest.ZONE), ShipTest.ZONE));
            assertFalse(f.changes.ship(c.id(), ShipTest.ON, "run-2").shipped());
        } finally {
            f.close();
        }
    }

    private void killAt(long id, String point) throws Exception {
        // the child opens the fixture's database on the same store as this JVM (on PostgreSQL: this JVM's server)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(DerbyFixture.childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ShipCrashTest.class.getName(),
                root.toString(), Long.toString(id), point));
        Process p = new ProcessBuilder(command).redirectError(root.resolve("child.err").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("AT " + point, line, "the child reached the crash point (its errors: "
                    + root.resolve("child.err") + ")");
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no Derby shutdown, nothing flushed
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
        }
    }
}
