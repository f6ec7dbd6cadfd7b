package io.harmonix.workflow.handlers.internal;

import io.harmonix.workflow.internal.WorkflowEngine;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-memory workflow engine of one test, with built-in handlers of this bundle added as the bundle registers
 * them, made before each test and closed after it. Register it with {@code @RegisterExtension}.
 */
final class InMemoryEngine implements BeforeEachCallback, AfterEachCallback {
    private final boolean coreAndHttp;
    private WorkflowEngine engine;

    private InMemoryEngine(boolean coreAndHttp) {
        this.coreAndHttp = coreAndHttp;
    }

    /** @return an engine with shell/exec only */
    static InMemoryEngine withShellExec() {
        return new InMemoryEngine(false);
    }

    /** @return an engine with shell/exec, core/noop, core/fail and http/request */
    static InMemoryEngine withShellExecCoreAndHttp() {
        return new InMemoryEngine(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        engine = WorkflowEngine.inMemory();
        engine.addHandler("exec", new ShellExecHandler(), List.of("shell"), List.of("exec"));
        if (coreAndHttp) {
            engine.addHandler("noop", new CoreHandlers.Noop(), List.of("core"), List.of("noop"));
            engine.addHandler("fail", new CoreHandlers.Fail(), List.of("core"), List.of("fail"));
            engine.addHandler("http", new HttpRequestHandler(), List.of("http"), List.of("request"));
        }
    }

    /** @return this test's engine */
    WorkflowEngine get() {
        return engine;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        engine.close();
    }
}
