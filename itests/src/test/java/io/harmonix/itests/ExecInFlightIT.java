package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec mode waits for the work its commands started: the on_cycle trigger example of docs/workflows.md, run in
 * exec mode as the guide shows it, runs its instance before the runtime stops (it used to be rejected by the
 * stopped engine and to run only at the next start).
 */
class ExecInFlightIT {
    @TempDir
    Path dir;

    @Test
    void theOnCycleTriggerExampleRunsItsInstanceInExecMode() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // as in docs/workflows.md, Events and triggers
        Path onCycle = Files.writeString(dir.resolve("on-cycle.yaml"), """
                name: on_cycle
                version: 1
                input:
                  run: {type: string}
                  cycle: {type: integer}
                on:
                  - type: harmonix.cycle.completed
                    filter: event.data.cycle == 2
                    input: {run: "${event.subject}", cycle: "${event.data.cycle}"}
                tasks:
                  note: {component: core, action: log, input: {message: "cycle ${input.cycle} of ${input.run} completed"}}
                """);
        // the same on the last cycle, with a task that takes a second: still running when the script ends
        Path onLast = Files.writeString(dir.resolve("on-last.yaml"), """
                name: on_last
                version: 1
                on:
                  - type: harmonix.cycle.completed
                    filter: event.data.cycle == 3
                    input: {}
                tasks:
                  slow: {component: shell, action: exec, input: {command: [sleep, "1"]}}
                  note: {component: core, action: log, input: {message: "last cycle noted"}, depends_on: [slow]}
                """);
        PackagedRuntime.Result ran = runtime.exec("wf:deploy " + onCycle + "; wf:deploy " + onLast
                + "; cycle:run --id r1 --agents files --cycles 3 --interval 50ms --wait");
        assertEquals(0, ran.exit(), ran.toString());
        String log = Files.readString(runtime.home.resolve("log/harmonix.log"));
        assertTrue(log.contains("cycle 2 of r1 completed"), "the instance ran in that exec:\n" + log + ran);
        assertTrue(log.contains("last cycle noted"), "exec waited for the slow one:\n" + log + ran);
        assertFalse(log.contains("rejected from"), log);
        assertFalse(ran.err().contains("in flight"), ran.toString());

    }
}
