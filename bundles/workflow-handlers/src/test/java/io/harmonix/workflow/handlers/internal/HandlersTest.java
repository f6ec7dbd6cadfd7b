package io.harmonix.workflow.handlers.internal;

import static io.harmonix.workflow.testing.Workflows.assertSucceeded;
import static io.harmonix.workflow.testing.Workflows.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.testing.Workflows;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The built-in handlers inside the engine: real processes, real HTTP on loopback, sub-workflows. */
class HandlersTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final InMemoryEngine engine = InMemoryEngine.withShellExecCoreAndHttp();

    /** Runs workflow {@code name}, version 1, of {@code body} (its tasks, and what follows them in the YAML). */
    private InstanceInfo run(String name, String body, Map<String, Object> input) throws Exception {
        return Workflows.run(engine.get(), Workflows.v1(name, body), input);
    }

    @Test
    void shellExecRunsARealProcessInItsDirectoryWithItsEnvironment() throws Exception {
        Files.writeString(dir.resolve("data.txt"), "one\ntwo\nthree\n");
        InstanceInfo i = run("sh", """
                input:
                  dir: {type: string}
                tasks:
                  count:
                    component: shell
                    action: exec
                    input:
                      command: [sh, -c, 'wc -l < data.txt; echo "$GREETING $HARMONIX_IDEMPOTENCY_KEY"; echo warn >&2']
                      directory: ${input.dir}
                      environment: {GREETING: hello}
                  each:
                    component: shell
                    action: exec
                    input: {command: [sh, -c, "echo ${item}"]}
                    for_each: {items: [a, b, c], parallelism: 3}
                    depends_on: [count]
                output:
                  out: ${tasks.count.output.stdout}
                  err: ${tasks.count.output.stderr}
                  each: ${tasks.each.output.items.size()}
                """, Map.of("dir", dir.toString()));
        assertSucceeded(i);
        String out = (String) i.output().get("out");
        assertTrue(out.startsWith("3\nhello " + i.id() + "/count\n"), out);
        assertEquals("warn\n", i.output().get("err"));
        assertEquals(3, i.output().get("each"));
    }

    @Test
    void shellExecFailsOnAnExitCodeAndIsKilledOnTimeout() throws Exception {
        InstanceInfo bad = run("shbad", """
                tasks:
                  x: {component: shell, action: exec, input: {command: [sh, -c, "echo broken >&2; exit 3"]}}
                """, Map.of());
        assertEquals(InstanceState.FAILED, bad.state());
        assertEquals("task x failed: shell/exec: sh exited with 3: broken", bad.error());

        Path pid = dir.resolve("pid");
        InstanceInfo slow = run("shslow", """
                input:
                  pid: {type: string}
                tasks:
                  x:
                    component: shell
                    action: exec
                    input: {command: [sh, -c, 'echo $$ > ${input.pid}; exec sleep 30']}
                    timeout: 500ms
                """, Map.of("pid", pid.toString()));
        assertEquals(InstanceState.FAILED, slow.state());
        assertTrue(slow.error().contains("timed out after 500 ms"), slow.error());
        long p = Long.parseLong(Files.readString(pid).trim());
        long end = System.currentTimeMillis() + 5000;
        while (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertTrue(ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true), "the process was killed");

        InstanceInfo big = run("shbig", """
                tasks:
                  x: {component: shell, action: exec, input: {command: [sh, -c, "head -c 100000 /dev/zero | tr '\\\\0' a"], max_output: 1000}}
                """, Map.of());
        assertSucceeded(big);
        assertEquals(1000, ((String) task(big, "x").output().get("stdout")).length());
        assertEquals(true, task(big, "x").output().get("truncated"));
    }

    @Test
    void httpRequestOnLoopbackWithRetriesOnServerErrors() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int n = calls.incrementAndGet();
            byte[] answer = (n == 1 ? "{\"error\":\"busy\"}" : "{\"echo\":" + new String(body,
                    StandardCharsets.UTF_8) + ",\"key\":\"" + ex.getRequestHeaders().getFirst("Idempotency-Key")
                    + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(n == 1 ? 503 : 200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        try {
            InstanceInfo i = run("http", """
                    input:
                      url: {type: string}
                    tasks:
                      call:
                        component: http
                        action: request
                        input: {url: "${input.url}", method: POST, body: {n: 7}}
                        retry: {attempts: 3, backoff: fixed, delay: 50ms}
                    output:
                      n: ${tasks.call.output.json.echo.n}
                      key: ${tasks.call.output.json.key}
                    """, Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/x"));
            assertSucceeded(i);
            assertEquals(7, i.output().get("n"));
            assertEquals(i.id() + "/call", i.output().get("key"), "the same key on every attempt");
            assertEquals(2, calls.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theFirstHttpRequestsOfTasksRunningAtOnceShareOneClient() throws Exception {
        HttpRequestHandler handler = new HttpRequestHandler();
        int tasks = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<HttpClient>> clients = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                clients.add(pool.submit(() -> {
                    go.await();
                    return handler.client();
                }));
            }
            go.countDown();
            Set<HttpClient> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<HttpClient> c : clients) {
                distinct.add(c.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, distinct.size(), "one client built for all of them");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingRequiredInputFailsTheTaskSayingWhich() throws Exception {
        engine.get().addHandler("sub", new WorkflowRunHandler(), List.of("workflow"), List.of("run"));
        InstanceInfo i = run("noinputs", """
                tasks:
                  call: {component: http, action: request, input: {method: GET}, on_failure: continue}
                  sub: {component: workflow, action: run, input: {input: {}}, on_failure: continue}
                """, Map.of());
        assertSucceeded(i);
        assertEquals("http/request: input 'url' is required", task(i, "call").reason());
        assertEquals("workflow/run: input 'workflow' is required", task(i, "sub").reason());
    }

    @Test
    void agentStepCallsAHarmonixAgent() throws Exception {
        AgentStepHandler step = new AgentStepHandler();
        io.harmonix.cycle.api.Agent counter = ctx -> {
            int seen = ctx.previousState().path("seen").asInt(0);
            var state = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("seen", seen + ctx.inputs().path("add").asInt());
            var outputs = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("run", ctx.runId()).put("cycle", ctx.cycle());
            return new io.harmonix.cycle.api.AgentResult(state, outputs, Map.of("calls", 1.0));
        };
        // the service properties the whiteboard hands over
        step.addAgent(counter, Map.of(io.harmonix.cycle.api.Agent.ID, "counter", "service.id", 1L));
        engine.get().addHandler("agent", step, List.of("agent"), List.of("step"));
        InstanceInfo i = run("agents", """
                tasks:
                  first: {component: agent, action: step, input: {agent: counter, inputs: {add: 2}}}
                  second:
                    component: agent
                    action: step
                    input: {agent: counter, state: "${tasks.first.output.state}", inputs: {add: 3}, cycle: 2}
                    depends_on: [first]
                  missing: {component: agent, action: step, input: {agent: nobody}, on_failure: continue}
                output:
                  seen: ${tasks.second.output.state.seen}
                  run: ${tasks.second.output.outputs.run}
                """, Map.of());
        assertSucceeded(i);
        assertEquals(5, i.output().get("seen"));
        assertEquals(i.id(), i.output().get("run"));
        assertEquals("agent/step: no agent 'nobody'; present: counter", task(i, "missing").reason());
    }

    @Test
    void coreFailCountsAttemptsAndASubWorkflowRuns() throws Exception {
        InstanceInfo i = run("corefail", """
                tasks:
                  f: {component: core, action: fail, input: {attempts: 3, v: 1}, retry: {attempts: 3, delay: 1ms}}
                """, Map.of());
        assertSucceeded(i);
        assertEquals(3, task(i, "f").attempts());

        WorkflowRunHandler sub = new WorkflowRunHandler();
        var field = WorkflowRunHandler.class.getDeclaredField("workflows");
        field.setAccessible(true);
        field.set(sub, engine.get()); // what DS injects
        engine.get().addHandler("sub", sub, List.of("workflow"), List.of("run"));
        engine.get().deploy("child.yaml", """
                name: child
                version: 1
                input:
                  x: {type: integer}
                tasks:
                  a: {component: core, action: noop, input: {y: "${input.x * 2}"}}
                output:
                  y: ${tasks.a.output.y}
                """);
        InstanceInfo parent = run("parent", """
                tasks:
                  call: {component: workflow, action: run, input: {workflow: child, input: {x: 21}}}
                output:
                  y: ${tasks.call.output.y}
                """, Map.of());
        assertSucceeded(parent);
        assertEquals(42, parent.output().get("y"));
    }
}
