package io.harmonix.workflow.handlers.internal;

import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;

/**
 * shell/exec: runs a process. Input: {@code command} (a list: program and arguments; no shell unless you name
 * one), {@code directory}, {@code environment} (map, added to the runtime's), {@code max_output} (bytes kept of
 * each stream, default 65536; the rest is read and dropped), {@code ok_exit_codes} (default [0]). Output:
 * {@code exit_code}, {@code stdout}, {@code stderr}, {@code truncated}. The task's idempotency key is in
 * {@code HARMONIX_IDEMPOTENCY_KEY}.
 *
 * <p>When a task ends: when its program (the process it started) exits. Then every process the program left in
 * its process group ({@link ProcessGroup}: background jobs, subshells) is killed (SIGTERM, SIGKILL after
 * {@link #GRACE}), and the output is what was read by then. A background child that keeps stdout open therefore
 * neither delays the end nor changes the outcome. On timeout or cancel the whole group is killed the same way.
 */
@Component(property = {TaskHandler.COMPONENT + "=shell", TaskHandler.ACTION + "=exec"})
public final class ShellExecHandler implements TaskHandler {
    /** How long processes left behind get to end after SIGTERM before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(2);
    /** How long the output is read on once the group is gone (a process outside it may still hold a pipe). */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        Map<String, Object> in = context.input();
        if (!(in.get("command") instanceof List<?> command) || command.isEmpty()) {
            throw new IllegalArgumentException("shell/exec: input 'command' must be a list: program and arguments");
        }
        List<String> argv = new ArrayList<>();
        command.forEach(a -> argv.add(String.valueOf(a)));
        ProcessBuilder pb = new ProcessBuilder(ProcessGroup.command(argv));
        if (in.get("directory") != null) {
            File dir = new File(String.valueOf(in.get("directory")));
            if (!dir.isDirectory()) {
                throw new IllegalArgumentException("shell/exec: directory " + dir + " does not exist");
            }
            pb.directory(dir);
        }
        if (in.get("environment") instanceof Map<?, ?> env) {
            env.forEach((k, v) -> pb.environment().put(String.valueOf(k), String.valueOf(v)));
        }
        pb.environment().put("HARMONIX_IDEMPOTENCY_KEY", context.idempotencyKey());
        int max = in.get("max_output") instanceof Number n ? n.intValue() : 65536;
        List<Integer> ok = new ArrayList<>();
        if (in.get("ok_exit_codes") instanceof List<?> codes) {
            codes.forEach(c -> ok.add(((Number) c).intValue()));
        } else {
            ok.add(0);
        }
        Process p = pb.start();
        ProcessGroup group = ProcessGroup.of(p);
        p.getOutputStream().close();
        Bounded out = new Bounded(p.getInputStream(), max);
        Bounded err = new Bounded(p.getErrorStream(), max);
        try {
            // the engine interrupts this thread at the deadline (and the group is killed below); the bound
            // here, a little later, is a safety net for a caller that does not
            boolean ended = context.deadline() == null ? p.waitFor() >= Integer.MIN_VALUE
                    : p.waitFor(Math.max(0, Duration.between(Instant.now(), context.deadline()).toMillis()) + 2000,
                            TimeUnit.MILLISECONDS);
            if (!ended) {
                group.remember();
                group.kill(GRACE);
                throw new IllegalStateException("shell/exec: " + argv.get(0) + " killed: past the task's timeout");
            }
        } catch (InterruptedException e) {
            group.remember();
            group.kill(GRACE);
            throw e;
        }
        // the program exited: the task ends now, whatever it left running
        group.kill(GRACE);
        long drained = System.nanoTime() + DRAIN.toNanos();
        out.join(DRAIN.toMillis());
        err.join(Math.max(1, (drained - System.nanoTime()) / 1_000_000));
        int code = p.exitValue();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exit_code", code);
        result.put("stdout", out.text());
        result.put("stderr", err.text());
        // a reader still blocked: a process outside the group (it left it with setsid) holds the pipe; what was read
        // by now is the output
        result.put("truncated", out.truncated || err.truncated || out.isAlive() || err.isAlive());
        if (!ok.contains(code)) {
            String e = err.text().strip();
            throw new IllegalStateException("shell/exec: " + argv.get(0) + " exited with " + code
                    + (e.isEmpty() ? "" : ": " + (e.length() > 500 ? e.substring(e.length() - 500) : e)));
        }
        return result;
    }

    /** Reads a stream to its end on a thread of its own, keeping the first {@code max} bytes. */
    private static final class Bounded extends Thread {
        private final InputStream in;
        private final int max;
        /** written here, read by the task's thread (its methods are synchronized) */
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        volatile boolean truncated;

        Bounded(InputStream in, int max) {
            super("shell-exec-output");
            setDaemon(true);
            this.in = in;
            this.max = max;
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (InputStream s = in) {
                for (int n; (n = s.read(buf)) > 0; ) {
                    int room = max - kept.size();
                    if (room > 0) {
                        kept.write(buf, 0, Math.min(room, n));
                    }
                    if (n > room) {
                        truncated = true;
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
