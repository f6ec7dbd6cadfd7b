package io.harmonix.fleet.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Nested cgroup v1 groups ({@code memory} and {@code pids}) for the checks of one runtime: under the runtime's own
 * group of each controller (read from {@code /proc/self/cgroup}, so that the machine's limits on the runtime still
 * hold), a folder {@code harmonix-sandbox-<owner>} and in it one group per check. The owner is a short hash of the
 * real path of the runtime's data folder ({@link #owner}): two runtimes of one installation on two data folders
 * never share a folder, so neither kills or removes the other's checks. A group bounds the memory and the process
 * count of everything a check starts and is how every one of those processes is found and killed, including a
 * daemon that left its session. Where the controllers are not mounted writable (no cgroup v1, not root) there are
 * none, and the record says the limits were not applied.
 *
 * <p>The runtime's folders exist only while a check runs: made with its group, removed with the last group in
 * them. A runtime that is never stopped (a test, a process killed between checks) thus leaves nothing behind; one
 * killed in the middle of a check leaves its groups, which the next start on the same data folder removes
 * ({@link #probe}).
 */
final class Cgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    /** The prefix of every runtime's folder in a controller's hierarchy. */
    static final String PREFIX = "harmonix-sandbox-";

    private final Path memoryBase;
    private final Path pidsBase;
    /** The groups made and not yet removed; the folders are removed when it falls to zero. Guarded by this. */
    private int live;
    private final List<String> leftovers;

    private Cgroups(Path memoryBase, Path pidsBase) {
        this.memoryBase = memoryBase;
        this.pidsBase = pidsBase;
        this.leftovers = removeLeftovers();
    }

    /**
     * @param data the runtime's data folder (it exists)
     * @return the name part of its folders: the first 12 hex digits of the SHA-256 of the folder's real path (the
     *     same folder reached through a symbolic link is the same owner)
     */
    static String owner(Path data) throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(data.toRealPath().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Removes what a run of the same owner killed in the middle of a check left (its processes killed, its groups
     * and folders removed), then makes and removes a probe group.
     *
     * @return the groups of this runtime, or empty where they cannot be made
     */
    static Optional<Cgroups> probe(String owner) {
        try {
            List<Path> folders = foldersOf(owner);
            Cgroups groups = new Cgroups(folders.get(0), folders.get(1));
            groups.create("probe-" + ProcessHandle.current().pid(), 64L << 20, 16).remove();
            return Optional.of(groups);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return where the folders of {@code owner}'s groups are (memory, pids), whether they exist or not */
    static List<Path> foldersOf(String owner) throws IOException {
        return List.of(own("memory").resolve(PREFIX + owner), own("pids").resolve(PREFIX + owner));
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
        Group group = new Group(memory, pids, this);
        synchronized (this) {
            live++; // before the folders: a failure below removes the group, which counts it down again
            try {
                Files.createDirectories(memory);
                Files.createDirectories(pids);
            } catch (IOException e) {
                group.remove();
                throw e;
            }
        }
        try {
            write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
            write(pids.resolve("pids.max"), Integer.toString(processes));
        } catch (IOException e) {
            group.remove();
            throw e;
        }
        return group;
    }

    /** @return the groups the run before this one left and this one removed at its start, as paths */
    List<String> leftovers() {
        return leftovers;
    }

    /** Kills and removes the groups a previous run of this owner left (it was killed in the middle of a check). */
    private List<String> removeLeftovers() {
        List<String> removed = new ArrayList<>();
        for (Path base : List.of(memoryBase, pidsBase)) {
            if (!Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> groups = Files.list(base)) {
                for (Path g : groups.filter(Files::isDirectory).toList()) {
                    new Group(base == memoryBase ? g : null, base == pidsBase ? g : null, null).remove();
                    removed.add(g.toString());
                }
            } catch (IOException e) {
                removed.add(base + " (not listed: " + e.getMessage() + ")");
            }
        }
        removeFolders();
        return List.copyOf(removed);
    }

    /** @return this runtime's folders of groups, memory then pids (they exist while a check runs) */
    List<Path> folders() {
        return List.of(memoryBase, pidsBase);
    }

    /** Called by a group of this runtime once it is removed. */
    private synchronized void released() {
        if (--live == 0) {
            removeFolders();
        }
    }

    /**
     * Removes this runtime's folders of groups, which the caller knows hold no group of its own. The kernel takes a
     * moment to let go of a group just removed (its parent's rmdir answers EBUSY meanwhile): a few tries, then what
     * is left goes with the next check's end or is for the next start.
     */
    private void removeFolders() {
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
        /** The runtime's groups, told once this one is gone; null for a leftover of an earlier run. */
        private final Cgroups owner;
        private boolean removed;

        private Group(Path memory, Path pids, Cgroups owner) {
            this.memory = memory;
            this.pids = pids;
            this.owner = owner;
        }

        /** @return the shell line that moves the shell running it into both groups (then it execs the command) */
        String enterLine() {
            return "echo $$ > " + memory.resolve("cgroup.procs") + " && echo $$ > " + pids.resolve("cgroup.procs");
        }

        /**
         * Kills every process in the groups until none is left (a fork bomb refills them until its last parent
         * dies; the pids limit keeps that short), then removes them, and the runtime's folders with the last one.
         */
        void remove() {
            synchronized (this) {
                if (removed) {
                    return;
                }
                removed = true;
            }
            try {
                kill();
            } finally {
                if (owner != null) {
                    owner.released();
                }
            }
        }

        private void kill() {
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
