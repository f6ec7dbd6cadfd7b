package io.harmonix.autonomy.internal.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.ControllerRun;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.autonomy.internal.command.AutonomyCommands;
import io.harmonix.autonomy.internal.policy.IndexDecisionLog;
import io.harmonix.autonomy.internal.policy.PolicyStore;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.index.testing.IndexFixture;
import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.testing.Commands;
import io.harmonix.store.testing.DerbyFixture;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.testing.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's governance over a real Derby run store, the real workflow engine, the real decision log over a
 * real index and a real configuration file: toggles saved before they apply, edits of the file recorded one decision
 * per toggle and never lifting a decided quarantine, who decided, no secret in the log, one run at a time even when
 * a run's row was never written.
 */
class ControllerGovernanceTest {
    static final String SECRET = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";
    static final SecretMasker MASKER = text -> text.replace(SECRET, "ghp_****");
    static final Toggles DEFAULTS = new Toggles(true, true, 10, false, null, ZoneId.of("UTC"));

    @TempDir
    Path dir;
    DerbyFixture db;
    TestEngine engine;
    IndexFixture index;
    IndexDecisionLog decisions;
    final List<String> log = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    Path cfg;
    Controller controller;

    @BeforeEach
    void start() throws Exception {
        db = DerbyFixture.open(dir.resolve("db"), RunStore.COMPONENT, RunStore.MIGRATIONS);
        engine = TestEngine.durable(db.dataSource(), db.migrator(), log::add);
        // the phases themselves are not under test: each waits until the test lets the run end
        engine.handler("phases", context -> {
            release.await();
            return Map.of();
        }, List.of(Phases.COMPONENT), List.of("sense", "think", "act", "verify", "ship", "learn"));
        assertTrue(ControllerWorkflow.deploy(engine.service(), log::add), log.toString());
        index = IndexFixture.open(dir.resolve("data/index"), m -> { });
        decisions = new IndexDecisionLog(index.index(), new PolicyStore(dir.resolve("etc/autonomy-policies.yaml"),
                m -> { }), Clock.systemUTC());
        decisions.addMasker(MASKER);
        cfg = dir.resolve("etc/io.harmonix.autonomy.cfg");
        controller = controller(DEFAULTS);
    }

    /** A controller as the component makes it at start, its toggles saved in {@link #cfg}. */
    private Controller controller(Toggles fromFile) {
        Controller c = new Controller(new RunStore(db.dataSource()), engine.service(), decisions, null, null,
                fromFile, this::save, log::add, MASKER::mask);
        c.configured(fromFile);
        return c;
    }

    /** What Configuration Admin and FileInstall do with a command's change: the file, written. */
    private void save(Map<String, Object> changed) throws IOException {
        Properties p = new Properties();
        if (Files.exists(cfg)) {
            try (InputStream in = Files.newInputStream(cfg)) {
                p.load(in);
            }
        }
        changed.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        Files.createDirectories(cfg.getParent());
        try (OutputStream out = Files.newOutputStream(cfg)) {
            p.store(out, null);
        }
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        engine.close();
        index.close();
        db.close();
    }

    private List<Decision> decided(String kind) {
        return decisions.decisions(100).stream().filter(d -> d.decision().equals(kind)).toList();
    }

    @Test
    void aToggleThatCannotBeSavedChangesNothingAndFailsTheCommand() throws Exception {
        // the folder etc/ cannot be made: a file is in its way
        Files.writeString(dir.resolve("etc"), "not a folder");
        var commands = Commands.over(new AutonomyCommands(), controller);
        Exception failed = assertThrows(Exception.class, () -> CommandLines.output(commands, "toggle", "enabled",
                "false", "--as", "alice"));
        assertTrue(failed.getMessage().contains("toggle enabled true -> false by alice: not done, nothing changed: it "
                + "could not be saved to etc/io.harmonix.autonomy.cfg"), failed.getMessage());
        assertTrue(controller.toggles().enabled(), "the break-glass stop did not last: it must not seem in force");
        assertEquals(List.of(), decided("toggle"), "no decision for what did not happen");

        Files.delete(dir.resolve("etc"));
        CommandLines.output(commands, "toggle", "enabled", "false", "--as", "alice");
        assertFalse(controller.toggles().enabled());
        assertTrue(Files.readString(cfg).contains("enabled=false"));
        Decision d = decided("toggle").get(0);
        assertEquals("alice", d.inputs().get("who"));
    }

    @Test
    void eachToggleAnEditOfTheFileChangesIsOneDecisionOfTheConfigurationFile() {
        controller.configured(new Toggles(false, true, 3, false, null, ZoneId.of("UTC")));
        List<Decision> toggles = decided("toggle");
        assertEquals(2, toggles.size(), toggles.toString());
        assertEquals(List.of("maxChangesPerDay 10 -> 3", "enabled true -> false"), toggles.stream()
                .map(d -> d.inputs().get("toggle") + " " + d.inputs().get("from") + " -> " + d.inputs().get("to"))
                .toList());
        assertTrue(toggles.stream().allMatch(d -> d.inputs().get("who").equals(Controller.FILE)
                && d.outcome().equals("allowed")));
        assertTrue(log.contains("autonomy: toggle enabled true -> false by configuration file"), log.toString());
        assertFalse(controller.toggles().enabled());

        controller.configured(new Toggles(false, true, 3, false, null, ZoneId.of("UTC")));
        assertEquals(2, decided("toggle").size(), "the same file again changes nothing");

        // an edit made while the runtime was down: the next start compares with the toggles last applied
        Controller restarted = controller(new Toggles(false, false, 3, false, null, ZoneId.of("UTC")));
        assertEquals(3, decided("toggle").size());
        assertEquals("automergeEnabled", decided("toggle").get(0).inputs().get("toggle"));
        assertFalse(restarted.toggles().automergeEnabled());
    }

    @Test
    void anEditOfTheFileNeverLiftsAQuarantineADecisionTurnedOn() {
        controller.quarantine(true, "main of shop broke twice", "alice");
        Toggles off = new Toggles(true, true, 10, false, null, ZoneId.of("UTC"));
        controller.configured(off);
        assertTrue(controller.toggles().quarantineMode(), "quarantineMode = false in the file lifts nothing");
        assertEquals("main of shop broke twice", controller.toggles().quarantineReason());
        Decision refused = decided("toggle").get(0);
        assertEquals("refused", refused.outcome());
        assertEquals(Controller.FILE, refused.inputs().get("who"));

        assertTrue(controller(off).toggles().quarantineMode(), "nor after a restart with the file saying false");

        controller.quarantine(false, "fixed", "bob");
        assertFalse(controller.toggles().quarantineMode());
        // a quarantine only the file turned on is the file's to lift
        controller.configured(new Toggles(true, true, 10, true, "maintenance", ZoneId.of("UTC")));
        assertTrue(controller.toggles().quarantineMode());
        controller.configured(off);
        assertFalse(controller.toggles().quarantineMode());
        assertEquals(List.of("allowed", "allowed"), decided("toggle").subList(0, 2).stream().map(Decision::outcome)
                .toList());
    }

    @Test
    void whoDecidesIsTheSessionsUserOrNamedWithAsNeverTheRuntimesAccount() throws Exception {
        var commands = Commands.over(new AutonomyCommands(), controller);
        Exception nobody = assertThrows(Exception.class, () -> CommandLines.output(commands, "toggle",
                "maxChangesPerDay", "4"));
        assertTrue(nobody.getMessage().contains("this session has no user (exec mode): give your name with --as "
                + "NAME"), nobody.getMessage());
        assertEquals(10, controller.toggles().maxChangesPerDay());
        assertThrows(Exception.class, () -> CommandLines.output(commands, "quarantine", "off", "--reason", "x"));

        // turning quarantine on is never held back for want of a name
        CommandLines.output(commands, "quarantine", "on", "--reason", "stop now");
        assertEquals(AutonomyCommands.UNNAMED, decided("quarantine").get(0).inputs().get("who"));

        SessionUser.runAs("carol", () -> CommandLines.output(commands, "quarantine", "off", "--reason", "seen"));
        assertEquals("carol", decided("quarantine").get(0).inputs().get("who"));
        CommandLines.output(commands, "toggle", "maxChangesPerDay", "4", "--as", "dave");
        assertEquals("dave", decided("toggle").get(0).inputs().get("who"));
        assertTrue(decisions.decisions(100).stream().noneMatch(d -> System.getProperty("user.name")
                .equals(d.inputs().get("who"))));
    }

    @Test
    void aPersonsReasonAndATriggerReachTheLogMasked() throws Exception {
        controller.quarantine(true, "token " + SECRET + " leaked in shop", "alice");
        controller.quarantine(false, "rotated " + SECRET, "alice");
        controller.configured(new Toggles(true, true, 10, true, "file says " + SECRET, ZoneId.of("UTC")));
        controller.start("event " + SECRET);
        assertTrue(log.stream().anyMatch(l -> l.contains("ghp_****")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains(SECRET)), log.toString());

        Exception failure = MaskedFailure.of(new IllegalStateException("verify failed",
                new UncheckedIOException(new IOException("git: fatal: could not read " + SECRET))), MASKER::mask);
        assertFalse(failure.getMessage().contains(SECRET), failure.getMessage());
        assertTrue(failure.getMessage().contains("could not read ghp_****"), failure.getMessage());
        assertEquals(null, failure.getCause());
    }

    @Test
    void aRunWhoseRowWasNeverWrittenStillKeepsASecondRunFromStarting() throws Exception {
        // a kill between the instance's start and its row's insert leaves this: an instance, no row
        WorkflowService workflows = engine.service();
        InstanceInfo orphan = workflows.start(AutonomyController.WORKFLOW, ControllerWorkflow.VERSION,
                Map.of("trigger", "schedule"), null);
        ControllerRun r = controller.start("event");
        assertEquals(orphan.id(), r.id(), "coalesced into the run going on, not a second run");
        assertEquals(1, r.coalesced());
        assertEquals("schedule", r.trigger());
        assertEquals(1, workflows.instances().stream().filter(i -> i.workflow().equals(AutonomyController.WORKFLOW))
                .count());
    }

    @Test
    void everyBadValueOfTheFileIsNamedAndNoneApplies() {
        var c = org.osgi.util.converter.Converters.standardConverter().convert(Map.of("zone", "Mars/Olympus",
                "quarantineAfterFailures", "-1", "scanTimeout", "soon", "schedule", "every day",
                "maxChangesPerDay", "many")).to(AutonomyControllerComponent.Config.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControllerSettings.parse(c));
        List<String> problems = new java.util.ArrayList<>(e.getMessage().lines().toList());
        assertEquals(5, problems.size(), e.getMessage());
        assertTrue(problems.remove(2).startsWith("io.harmonix.autonomy: maxChangesPerDay: expected a whole number, 0 "
                + "or more ("), e.getMessage());
        assertTrue(problems.get(0).startsWith("io.harmonix.autonomy: scanTimeout: "), problems.get(0));
        assertEquals("io.harmonix.autonomy: zone: expected a time zone such as UTC or Europe/Paris; was "
                + "'Mars/Olympus'", problems.get(1));
        assertEquals("io.harmonix.autonomy: quarantineAfterFailures: expected 0 (never) or more; was -1",
                problems.get(2));
        assertTrue(problems.get(3).startsWith("io.harmonix.autonomy: schedule: 'every day': expected a cron"),
                problems.get(3));

        ControllerSettings fallback = ControllerSettings.fallback();
        assertFalse(fallback.toggles().automergeEnabled(), "a bad file at start enables no automerge");
        assertEquals(3, fallback.quarantineAfterFailures());
        ControllerSettings good = ControllerSettings.parse(org.osgi.util.converter.Converters.standardConverter()
                .convert(Map.of("maxChangesPerDay", "2", "scoringRules", "task=3/low"))
                .to(AutonomyControllerComponent.Config.class));
        assertEquals(2, good.toggles().maxChangesPerDay());
        assertTrue(good.rules().describe().contains("task=3/low"));
    }
}
