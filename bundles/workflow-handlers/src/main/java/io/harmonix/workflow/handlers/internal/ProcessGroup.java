package io.harmonix.workflow.handlers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of one shell/exec task. On Linux the task's program is started through {@code setsid}, so it leads
 * a session and a process group of its own, which every process it starts joins (background jobs, subshells,
 * {@code (sleep 63 &)}) unless it leaves on purpose; {@link #kill} ends the whole group. The members are found in
 * {@code /proc} (field pgrp of {@code /proc/PID/stat}). Without setsid or /proc (not Linux) the group is the
 * program and its descendants as {@link ProcessHandle} sees them.
 */
final class ProcessGroup {
    private static final Path SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

    private final Process main;
    private final long pgid;
    /** Descendants seen while the program ran: a second net for those that left the group. */
    private final List<ProcessHandle> seen = new ArrayList<>();
    private boolean hurried;

    private ProcessGroup(Process main, long pgid) {
        this.main = main;
        this.pgid = pgid;
    }

    /** @return {@code argv} started so that the program leads a process group of its own, where that is possible */
    static List<String> command(List<String> argv) {
        if (SETSID == null || !PROC) {
            return argv;
        }
        List<String> out = new ArrayList<>();
        out.add(SETSID.toString());
        out.addAll(argv);
        return out;
    }

    /** @return the group led by {@code p}, a process started with {@link #command} */
    static ProcessGroup of(Process p) {
        // setsid runs the program in its own process (it forks only when it is a group leader, which a child of
        // the JVM is not): the process's id is the group's id
        return new ProcessGroup(p, SETSID != null && PROC ? p.pid() : -1);
    }

    /** Notes the program's descendants (they are lost from the tree once the program has exited). */
    void remember() {
        main.descendants().forEach(seen::add);
    }

    /** @return the processes of the group still running (zombies are dead: they only wait to be reaped) */
    List<ProcessHandle> members() {
        List<ProcessHandle> out = new ArrayList<>();
        if (pgid > 0) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.forEach(dir -> {
                    String name = dir.getFileName().toString();
                    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && inGroup(dir)) {
                        ProcessHandle.of(Long.parseLong(name)).ifPresent(out::add);
                    }
                });
            } catch (IOException e) {
                // /proc unreadable: fall back to what ProcessHandle sees below
            }
        } else {
            main.toHandle().descendants().forEach(out::add);
            if (main.isAlive()) {
                out.add(main.toHandle());
            }
        }
        if (pgid > 0 && main.isAlive() && !out.contains(main.toHandle())) {
            // in its first instant the program has not called setsid() yet, so the group has no member: a kill then
            // must still reach it, or it would run on unowned
            out.add(main.toHandle());
        }
        seen.stream().filter(ProcessHandle::isAlive).filter(h -> !out.contains(h)).forEach(out::add);
        return out;
    }

    private boolean inGroup(Path dir) {
        return stat(dir).map(f -> f.length > 2 && !f[0].equals("Z") && Long.parseLong(f[2]) == pgid)
                .orElse(false);
    }

    /** @return the fields of /proc/PID/stat after the command's name: state, ppid, pgrp, ... */
    private static Optional<String[]> stat(Path dir) {
        try {
            String s = Files.readString(dir.resolve("stat"));
            return Optional.of(s.substring(s.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // it ended while we looked
        }
    }

    /**
     * Ends every process of the group: SIGTERM, then after {@code grace} SIGKILL to what is left.
     *
     * @return true when none is left
     */
    boolean kill(Duration grace) {
        // a cancel interrupted the caller: the processes still go, then the interrupt is given back
        boolean interrupted = Thread.interrupted();
        try {
            return signal(interrupted, interrupted ? Duration.ofSeconds(5) : grace)
                    || signal(true, Duration.ofSeconds(5));
        } finally {
            if (interrupted || hurried) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Signals the members until none is left or {@code wait} passed (members may start others meanwhile). */
    private boolean signal(boolean forcibly, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (true) {
            List<ProcessHandle> left = members();
            if (left.isEmpty()) {
                return true;
            }
            for (ProcessHandle h : left) {
                if (forcibly) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            }
            if (System.nanoTime() - until > 0) {
                return members().isEmpty();
            }
            try {
                Thread.sleep(10); // a signalled process takes a moment to go; look again
            } catch (InterruptedException e) {
                forcibly = true; // interrupted while killing: no more grace, SIGKILL (kill gives the interrupt back)
                hurried = true;
            }
        }
    }
}
