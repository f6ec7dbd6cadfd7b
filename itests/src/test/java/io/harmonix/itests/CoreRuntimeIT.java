package io.harmonix.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentStatus;
import io.harmonix.cycle.api.CycleEvent;
import io.harmonix.cycle.api.CycleEventType;
import io.harmonix.cycle.api.CycleListener;
import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.runner.api.RunInfo;
import io.harmonix.runner.api.RunRequest;
import io.harmonix.runner.api.RunState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The core and sample features booted in Felix: services, and runs producing schema-valid snapshots in order. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreRuntimeIT {
    @Inject
    private BundleContext context;

    @Inject
    private CycleRunner runner;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return options(
                HarmonixContainer.boot("core-runtime", "harmonix-core", "harmonix-samples"),
                // The schema validator runs from the test class path (it is only a test tool here): the framework
                // delegates its packages to the application class loader.
                bootDelegationPackage("com.networknt.*"),
                frameworkProperty("org.osgi.framework.bundle.parent").value("app"));
    }

    @Test
    public void everyFeatureBundleIsActiveAndTheServicesAreRegistered() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("io.harmonix") && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                assertEquals(b.getSymbolicName() + " is active", Bundle.ACTIVE, b.getState());
            }
        }
        java.util.Collection<?> agents = context.getServiceReferences(Agent.class, "(" + Agent.ID + "=files)");
        assertEquals(1, agents.size());
        assertTrue(GogoShell.answers(context, "cycle:run"));
        assertTrue(GogoShell.answers(context, "agent:list"));
        assertTrue(runner.agents().stream().anyMatch(a -> a.agentId().equals("files")
                && a.bundleSymbolicName().equals("io.harmonix.agent.files")));
    }

    @Test
    public void aRunOfTheSampleAgentGivesSchemaValidSnapshotsAndOrderedEvents() throws Exception {
        List<CycleSnapshot> recorded = new CopyOnWriteArrayList<>();
        List<CycleEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        ServiceRegistration<CycleRecorder> recorder = context.registerService(CycleRecorder.class, recorded::add,
                null);
        ServiceRegistration<CycleListener> listener = context.registerService(CycleListener.class, e -> {
            if (e.runId().equals("itest-run")) {
                events.add(e);
                if (e.type() == CycleEventType.RUN_FINISHED) {
                    finished.countDown();
                }
            }
        }, null);
        try {
            RunInfo run = runner.start(new RunRequest("itest-run", List.of("files"), 4, Duration.ofMillis(20),
                    Duration.ofSeconds(20), null));
            RunInfo done = runner.await(run.runId(), Duration.ofSeconds(60));
            assertEquals(RunState.COMPLETED, done.state());
            assertTrue(finished.await(30, TimeUnit.SECONDS));
        } finally {
            recorder.unregister();
            listener.unregister();
        }

        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(CycleSnapshots.schema(), InputFormat.JSON);
        List<CycleSnapshot> mine = recorded.stream().filter(s -> s.runId().equals("itest-run")).toList();
        assertEquals(4, mine.size());
        for (int i = 0; i < mine.size(); i++) {
            CycleSnapshot s = mine.get(i);
            assertEquals(i + 1, s.cycle());
            assertEquals(AgentStatus.OK, s.agent("files").status());
            assertTrue(s.agent("files").metrics().get("files") >= 0);
            String json = CycleSnapshots.toCanonicalJson(s);
            assertEquals(json, "[]", schema.validate(json, InputFormat.JSON).toString());
        }

        List<CycleEventType> expected = new ArrayList<>();
        expected.add(CycleEventType.RUN_STARTED);
        for (int i = 0; i < 4; i++) {
            expected.add(CycleEventType.CYCLE_STARTED);
            expected.add(CycleEventType.CYCLE_COMPLETED);
        }
        expected.add(CycleEventType.RUN_FINISHED);
        assertEquals(expected, events.stream().map(CycleEvent::type).toList());
        assertEquals(mine, events.stream().filter(e -> e.type() == CycleEventType.CYCLE_COMPLETED)
                .map(CycleEvent::snapshot).toList());
    }

    @Test
    public void theRunnerTakesItsSettingsFromConfigAdmin() throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        assertNotNull("ConfigAdmin is part of the core feature", ref);
        Configuration conf = context.getService(ref).getConfiguration("io.harmonix.runner", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("defaultDeadline", "7s");
        props.put("poolSize", "3");
        conf.update(props);
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RunInfo run = runner.start(RunRequest.of(1, "files"));
            while (!run.deadline().equals(Duration.ofSeconds(7)) && System.nanoTime() < end) {
                Thread.sleep(100);
                run = runner.start(RunRequest.of(1, "files"));
            }
            assertEquals(Duration.ofSeconds(7), run.deadline());
        } finally {
            conf.delete();
        }
    }

    @Test
    public void commandsAnswerThroughGogoAndHelpListsThemWithTheirDescriptions() throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute("help");
            String help = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(help, help.startsWith("COMMAND "));
            assertTrue(help, help.matches("(?s).*\ncycle:run +start a run of agents, cycle after cycle\n.*"));
            assertTrue(help, help.matches("(?s).*\nindex:verify +re-check every CRC, the Merkle tree and the "
                    + "manifests\n.*"));
            assertTrue(help, help.matches("(?s).*\nfelix:lb +list all installed bundles\n.*"));

            bytes.reset();
            session.execute("help cycle:runs");
            assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("Usage: cycle:runs [-h] [--json]\n"));

            bytes.reset();
            session.execute("agent:list --json");
            JsonNode agents = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
            assertEquals("files", agents.get(0).get("agentId").asText());

            bytes.reset();
            session.execute("cycle:run --id gogo --agents files --cycles 2 --interval 0ms --wait");
            assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8)
                    .contains("run gogo: completed, cycles 2/2, agents files"));

            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> session.execute("cycle:runs --bogus"));
            assertTrue(bad.getMessage(), bad.getMessage().startsWith("cycle:runs: Unknown option: '--bogus'\n"
                    + "Usage: cycle:runs"));
        } finally {
            session.close();
        }
    }

    @Test
    public void aRunnerConfigurationWithOneWrongValueIsRefusedWholeAndTheSettingsInForceStay() throws Exception {
        Configuration conf = context.getService(context.getServiceReference(ConfigurationAdmin.class))
                .getConfiguration("io.harmonix.runner", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("defaultDeadline", "7s");
        conf.update(props);
        try {
            assertEquals(Duration.ofSeconds(7), deadlineOnceSettled(Duration.ofSeconds(7)));
            props.put("defaultDeadline", "9s");
            props.put("resumeOnStart", "maybe"); // what DS alone would read as false
            conf.update(props);
            Thread.sleep(1000); // ConfigAdmin hands the update to DS asynchronously
            assertEquals("the right value beside the wrong one was not applied either", Duration.ofSeconds(7),
                    runner.start(RunRequest.of(1, "files")).deadline());
        } finally {
            conf.delete();
        }
        assertEquals("a deleted configuration gives the declared defaults back", Duration.ofSeconds(30),
                deadlineOnceSettled(Duration.ofSeconds(30)));
    }

    private Duration deadlineOnceSettled(Duration expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Duration deadline = runner.start(RunRequest.of(1, "files")).deadline();
        while (!deadline.equals(expected) && System.nanoTime() < end) {
            Thread.sleep(100);
            deadline = runner.start(RunRequest.of(1, "files")).deadline();
        }
        return deadline;
    }

    @Test
    public void theStoreServicesNameTheirStoreAndTheStateAdministrationIsAnApiService() throws Exception {
        assertEquals(1, context.getServiceReferences("javax.sql.DataSource", "(harmonix.store=derby)").length);
        assertEquals(1, context.getServiceReferences("io.harmonix.store.api.SchemaMigrator",
                "(harmonix.store=derby)").length);
        assertNotNull(context.getServiceReference("io.harmonix.state.api.StateAdmin"));
        assertNull("no implementation class is a service",
                context.getServiceReference("io.harmonix.state.internal.StateDatabase"));
    }
}
