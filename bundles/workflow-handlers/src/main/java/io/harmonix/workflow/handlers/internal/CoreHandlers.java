package io.harmonix.workflow.handlers.internal;

import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** core/log (logs its input's message at INFO, gives its input back), core/noop (gives its input back), core/fail. */
final class CoreHandlers {
    private CoreHandlers() {
    }

    /** core/log: input {message}; output: the input. */
    @Component(property = {TaskHandler.COMPONENT + "=core", TaskHandler.ACTION + "=log"})
    public static final class Log implements TaskHandler {
        @Reference(service = LoggerFactory.class)
        private Logger log;

        @Override
        public Map<String, Object> execute(TaskContext context) {
            log.info("workflow {} task {}: {}", context.instanceId(), context.taskId(),
                    context.input().getOrDefault("message", context.input()));
            return new LinkedHashMap<>(context.input());
        }
    }

    /** core/noop: output = input. */
    @Component(property = {TaskHandler.COMPONENT + "=core", TaskHandler.ACTION + "=noop"})
    public static final class Noop implements TaskHandler {
        @Override
        public Map<String, Object> execute(TaskContext context) {
            return context.input();
        }
    }

    /**
     * core/fail: fails with input {message}; with {attempts: N} it fails the first N-1 attempts and then gives its
     * input back (for retry tests).
     */
    @Component(property = {TaskHandler.COMPONENT + "=core", TaskHandler.ACTION + "=fail"})
    public static final class Fail implements TaskHandler {
        @Override
        public Map<String, Object> execute(TaskContext context) {
            Object until = context.input().get("attempts");
            if (until instanceof Number n && context.attempt() >= n.intValue()) {
                return context.input();
            }
            throw new IllegalStateException(String.valueOf(context.input().getOrDefault("message",
                    "core/fail failed on purpose")));
        }
    }
}
