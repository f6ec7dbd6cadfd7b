package io.harmonix.workflow.peer;

import io.harmonix.workflow.internal.DurableShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;

/**
 * Durable workflows side by side, in one run: this engine on embedded Derby ({@link DurableShapes}) and Flowable 7
 * embedded on an H2 file database in its default configuration (history level audit, no async executor: a process
 * of synchronous service tasks runs in one transaction from start to end), the peer a user would pick instead. Same
 * shapes: a chain of 200 no-op tasks, and 500 no-op tasks between a parallel fork and a join. Tasks per second of
 * one instance, median of {@value DurableShapes#ROUNDS} after {@value DurableShapes#WARMUP} rounds of warm-up; the
 * engines alternate shape by shape. Flowable is measured twice: in that default configuration, and with a commit per
 * step (every service task {@code flowable:async}, run by its async executor: a crash resumes a process at its last
 * committed step, the guarantee this engine gives; each instance's jobs are exclusive, so they run one at a time).
 * H2 by default does not force a commit to the device (its documentation, "Durability Problems"); Derby does (its
 * log is opened {@code O_DSYNC}).
 *
 * <p>Flowable and H2 are dependencies of the {@code bench} profile only, and this package is compiled only there:
 * {@code mvn -B -q -Pbench verify -DskipTests -DskipITs} in bundles/workflow.
 */
public final class WorkflowPeerBenchmark {
    private WorkflowPeerBenchmark() {
    }

    /** The service task of every step: does nothing, as the Harmonix handler {@code core/noop} of the benchmark. */
    public static final class Noop implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("harmonix-workflow-peer");
        System.out.printf(Locale.ROOT, "durable workflows beside Flowable in %s, %d cores, Java %s%n", dir,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ProcessEngine flowable = ((StandaloneProcessEngineConfiguration) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:file:" + dir.resolve("flowable").toAbsolutePath() + ";DB_CLOSE_DELAY=-1")
                .setJdbcDriver("org.h2.Driver").setJdbcUsername("sa").setJdbcPassword("")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE))
                .setAsyncExecutorActivate(false).buildProcessEngine();
        // Flowable with a commit per step: every service task asynchronous (a job, run by the async executor after
        // the transaction that made it committed), so a crash resumes a process at its last committed step, as this
        // engine does; its own database file
        ProcessEngine stepwise = ((StandaloneProcessEngineConfiguration) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:file:" + dir.resolve("flowable-async").toAbsolutePath() + ";DB_CLOSE_DELAY=-1")
                .setJdbcDriver("org.h2.Driver").setJdbcUsername("sa").setJdbcPassword("")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE))
                .setAsyncExecutorActivate(true)
                // a job that meets another job of its instance holding the exclusive lock is acquired again later:
                // by default after 10 s, which kept the wide process from ending in 5 minutes
                .setAsyncExecutorDefaultAsyncJobAcquireWaitTime(10).setAsyncExecutorDefaultTimerJobAcquireWaitTime(10)
                .setAsyncExecutorThreadPoolQueueSize(2048).buildProcessEngine();
        try (DurableShapes harmonix = new DurableShapes(dir.resolve("harmonix"))) {
            flowable.getRepositoryService().createDeployment().addString("chain.bpmn20.xml", chain(false))
                    .addString("wide.bpmn20.xml", wide(false)).deploy();
            stepwise.getRepositoryService().createDeployment().addString("chain.bpmn20.xml", chain(true))
                    .addString("wide.bpmn20.xml", wide(true)).deploy();
            double hChain = harmonix.tasksPerSecond("chain", DurableShapes.CHAIN);
            double fChain = flowable(flowable.getRuntimeService(), "chain", DurableShapes.CHAIN);
            double hWide = harmonix.tasksPerSecond("wide", DurableShapes.WIDE + 1);
            double fWide = flowable(flowable.getRuntimeService(), "wide", DurableShapes.WIDE + 1);
            double sChain = stepwise(stepwise, "chain", DurableShapes.CHAIN);
            System.out.printf(Locale.ROOT, "chain of %d: harmonix %.0f tasks/s, flowable %.0f tasks/s, ratio %.2f%n",
                    DurableShapes.CHAIN, hChain, fChain, hChain / fChain);
            System.out.printf(Locale.ROOT, "chain of %d: harmonix %.0f tasks/s, flowable with a commit per step "
                    + "(async tasks) %.0f tasks/s, ratio %.2f%n", DurableShapes.CHAIN, hChain, sChain, hChain / sChain);
            System.out.printf(Locale.ROOT, "%d wide and a join: harmonix %.0f tasks/s, flowable %.0f tasks/s, "
                    + "ratio %.2f%n", DurableShapes.WIDE, hWide, fWide, hWide / fWide);
            try {
                double sWide = stepwise(stepwise, "wide", DurableShapes.WIDE + 1);
                System.out.printf(Locale.ROOT, "%d wide and a join: harmonix %.0f tasks/s, flowable with a commit per "
                        + "step (async tasks) %.0f tasks/s, ratio %.2f%n", DurableShapes.WIDE, hWide, sWide,
                        hWide / sWide);
            } catch (IllegalStateException e) {
                System.out.printf(Locale.ROOT, "%d wide and a join: flowable with a commit per step (async tasks): %s%n",
                        DurableShapes.WIDE, e.getMessage());
            }
        } finally {
            flowable.close();
            stepwise.close();
        }
    }

    private static double flowable(RuntimeService runtime, String key, int tasks) {
        double[] rates = new double[DurableShapes.ROUNDS];
        for (int r = -DurableShapes.WARMUP; r < DurableShapes.ROUNDS; r++) {
            long t0 = System.nanoTime();
            var instance = runtime.startProcessInstanceByKey(key);
            if (!instance.isEnded()) {
                throw new IllegalStateException("flowable " + key + " did not end");
            }
            if (r >= 0) {
                rates[r] = tasks / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Arrays.sort(rates);
        return rates[DurableShapes.ROUNDS / 2];
    }

    /** As {@link #flowable}, for the asynchronous processes: a start returns at once, the end is in the history. */
    private static double stepwise(ProcessEngine engine, String key, int tasks) throws InterruptedException {
        double[] rates = new double[DurableShapes.ROUNDS];
        for (int r = -DurableShapes.WARMUP; r < DurableShapes.ROUNDS; r++) {
            long t0 = System.nanoTime();
            String id = engine.getRuntimeService().startProcessInstanceByKey(key).getId();
            long until = t0 + 60_000_000_000L;
            while (engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(id).finished()
                    .count() == 0) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("an instance did not end in a minute (round " + r + ")");
                }
                Thread.sleep(1);
            }
            if (r >= 0) {
                rates[r] = tasks / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Arrays.sort(rates);
        return rates[DurableShapes.ROUNDS / 2];
    }

    private static String process(String key, StringBuilder body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/"
                + "MODEL\" xmlns:flowable=\"http://flowable.org/bpmn\" targetNamespace=\"bench\">\n<process id=\"" + key
                + "\" isExecutable=\"true\">\n<startEvent id=\"start\"/>\n" + body + "<endEvent id=\"end\"/>\n"
                + "</process>\n</definitions>\n";
    }

    private static String task(String id, boolean async) {
        return "<serviceTask id=\"" + id + "\"" + (async ? " flowable:async=\"true\"" : "") + " flowable:class=\""
                + Noop.class.getName() + "\"/>\n";
    }

    private static String flow(String from, String to) {
        return "<sequenceFlow id=\"" + from + "-" + to + "\" sourceRef=\"" + from + "\" targetRef=\"" + to + "\"/>\n";
    }

    static String chain(boolean async) {
        StringBuilder b = new StringBuilder(flow("start", "t1"));
        for (int i = 1; i <= DurableShapes.CHAIN; i++) {
            b.append(task("t" + i, async)).append(flow("t" + i, i == DurableShapes.CHAIN ? "end" : "t" + (i + 1)));
        }
        return process("chain", b);
    }

    static String wide(boolean async) {
        StringBuilder b = new StringBuilder("<parallelGateway id=\"fork\"/>\n<parallelGateway id=\"joined\"/>\n")
                .append(flow("start", "fork")).append(task("join", async)).append(flow("joined", "join"))
                .append(flow("join", "end"));
        for (int i = 1; i <= DurableShapes.WIDE; i++) {
            b.append(task("t" + i, async)).append(flow("fork", "t" + i)).append(flow("t" + i, "joined"));
        }
        return process("wide", b);
    }
}
