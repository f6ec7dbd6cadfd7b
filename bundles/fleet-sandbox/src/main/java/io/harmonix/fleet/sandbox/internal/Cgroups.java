package io.harmonix.fleet.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Nested cgroup v1 groups ({@code memory} and {@code pids}) for the checks of one runtime: under the runtime's own
 * group of each controller (read from {@code /proc/self/cgroup}, so that the machine's limits on the runtime still
 * hold), a folder {@code harmonix-sandbox-<home hash>} and in it one group per check. A group bounds the memory and
 * the process count of everything a check starts and is how every one of those processes is found and killed,
 * including a daemon that left its session. Where the controllers are not mounted writable (no cgroup v1, not
 * root) there are none, and the record says the limits were not applied.
 */
final class Cgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Path memoryBase;
    private final Path pidsBase;

    private Cgroups(Path memoryBase, Path pidsBase) {
        this.memoryBase = memoryBase;
        this.pidsBase = pidsBase;
    }

    /** @return the groups of this runtime (a probe group made and removed), or empty where they cannot be made */
    static Optional<Cgroups> probe(String owner) {
        try {
            Path memory = own("memory").resolve("harmonix-sandbox-" + owner);
            Path pids = own("pids").resolve("harmonix-sandbox-" + owner);
            Files.createDirectories(memory);
            Files.createDirectories(pids);
            Cgroups groups = new Cgroups(memory, pids);
            Group probe = groups.create("probe-" + ProcessHandle.current().pid(), 64L << 20, 16);
            probe.remove();
            return Optional.of(groups);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path own(String controller) throws IOException {
        Path mount = ROOT.resolve(controller);
        if (!Files.isDirectory(mount)) {
            throw new IOException("no cgroup v1 " + controller + " controller at " + mount);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3); // id:controllers:path
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                Path nested = mount.resolve(parts[2].substring(1));
                return Files.isDirectory(nested) ? nested : mount; // a container may show its group as the root
            }
        }
        return mount;
    }

    /** A new group named {@code name}, limited to {@code memoryBytes} and {@code processes}. */
    Group create(String name, long memoryBytes, int processes) throws IOException {
        Path memory = memoryBase.resolve(name);
        Path pids = pidsBase.resolve(name);
        Files.createDirectories(memory);
        Files.createDirectories(pids);
        Group group = new Group(memory, pids);
        try {
            write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
            write(pids.resolve("pids.max"), Integer.toString(processes));
        } catch (IOException e) {
            group.remove();
            throw e;
        }
        return group;
    }

    /** Kills and removes the groups a previous run of this runtime left (it stopped in the middle of a check). */
    List<String> removeLeftovers() {
        List<String> removed = new ArrayList<>();
        for (Path base : List.of(memoryBase, pidsBase)) {
            try (Stream<Path> groups = Files.list(base)) {
                for (Path g : groups.filter(Files::isDirectory).toList()) {
                    new Group(base == memoryBase ? g : null, base == pidsBase ? g : null).remove();
                    removed.add(g.toString());
                }
            } catch (IOException e) {
                removed.add(base + " (not listed: " + e.getMessage() + ")");
            }
        }
        return removed;
    }

    /** @return this runtime's folders of groups, memory then pids */
    List<Path> folders() {
        return List.of(memoryBase, pidsBase);
    }

    /**
     * Removes this runtime's folders of groups when no check's group is left in them (the runtime stops). The
     * kernel takes a moment to let go of a group just removed (its parent's rmdir answers EBUSY meanwhile): a few
     * tries, then what is left is for {@link #removeLeftovers} or the machine's own cleanup.
     */
    void close() {
        for (Path base : List.of(memoryBase, pidsBase)) {
            for (int attempt = 0; attempt < 200 && Files.isDirectory(base); attempt++) {
                try {
                    Files.deleteIfExists(base);
                } catch (IOException e) {
                    Group.sleep();
                }
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    /** One check's groups. */
    static final class Group {
        private final Path memory;
        private final Path pids;

        private Group(Path memory, Path pids) {
            this.memory = memory;
            this.pids = pids;
        }

        /** @return the shell line that moves the shell running it into both groups (then it execs the command) */
        String enterLine() {
            return "echo $$ > " + memory.resolve("cgroup.procs") + " && echo $$ > " + pids.resolve("cgroup.procs");
        }

        /**
         * Kills every process in the groups until none is left (a fork bomb refills them until its last parent
         * dies; the pids limit keeps that short), then removes them.
         */
        void remove() {
            for (Path g : new Path[] {pids, memory}) {
                // rounds of 10 ms: killed processes take a moment to leave the group, and the kernel a moment more
                // to let it be removed (EBUSY meanwhile)
                for (int round = 0; round < 300 && g != null && Files.isDirectory(g); round++) {
                    if (killAll(g) == 0) {
                        try {
                            Files.deleteIfExists(g); // rmdir of a cgroup: its files are not real ones
                        } catch (IOException e) {
                            // not yet: next round
                        }
                    }
                    if (Files.isDirectory(g)) {
                        sleep();
                    }
                }
            }
        }

        /** @return how many processes were still in the group */
        private static int killAll(Path group) {
            List<String> lines;
            try {
                lines = Files.readAllLines(group.resolve("cgroup.procs"));
            } catch (IOException e) {
                return 0;
            }
            for (String line : lines) {
                ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            return lines.size();
        }

        /** Waits a little, even for an interrupted caller: it is being interrupted and must still kill them all. */
        static void sleep() {
            boolean interrupted = Thread.interrupted();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
