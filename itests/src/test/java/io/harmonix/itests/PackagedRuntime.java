package io.harmonix.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the packaged distribution in a folder of the test's, driven as a real process through bin/harmonix. Its
 * store is each data folder's Derby, or with {@code -Dharmonix.it.store=postgresql} a PostgreSQL database per data
 * folder ({@link RuntimeStore}).
 */
public final class PackagedRuntime {
    public final Path home;
    private int port;
    /** The runtimes started on PostgreSQL, by data folder: one copy's store configuration serves one folder at once. */
    private final java.util.Map<Path, List<Process>> running = new java.util.HashMap<>();

    private PackagedRuntime(Path home) {
        this.home = home;
    }

    /**
     * Copies the assembled distribution into {@code dir}, with an HTTP port of its own in etc/harmonix.properties
     * instead of the shipped 8181: the IT classes run in parallel forks (itests/pom.xml), and two runtimes of two
     * tests that both probed 8181 free at once would race for it (the loser's Jetty logs a bind error and stays
     * deaf). Two runtimes of one copy share its port as two runtimes of one installation do (LauncherIT).
     */
    public static PackagedRuntime copyInto(Path dir) throws IOException {
        Path from = HarmonixContainer.distribution();
        Path home = dir.resolve(from.getFileName());
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path to = home.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.startsWith(from.resolve("data")) && !p.startsWith(from.resolve("log"))
                        && !p.equals(LAUNCHER_IN.apply(from)) && !p.getFileName().toString().startsWith("harmonix.jsa")) {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        shareClassDataArchive(from, home);
        PackagedRuntime runtime = new PackagedRuntime(home);
        runtime.listenOn(freePort());
        if (RuntimeStore.postgresql()) {
            RuntimeStore.prepare(home);
        }
        return runtime;
    }

    private static final java.util.function.UnaryOperator<Path> LAUNCHER_IN =
            home -> home.resolve("lib/harmonix-launcher.jar");

    /**
     * Lets the copy start with the distribution's class-data archive (lib/harmonix.jsa), as the installation itself
     * does: a copy without it spent about a tenth to a fifth more on every start (docs/performance.md, "Test suite",
     * "The class-data archive in the ITs' copies"). The JVM accepts a dynamic archive only for the class path it was
     * made with, compared file by file (the same file, by inode, with its size and date), so the copy's launcher jar
     * is a hard link to the distribution's (its manifest's class path, ../system/..., resolves in the copy to files
     * of the same sizes and dates), and so is the archive (42 MB not copied). Hard links, not symbolic ones: JUnit
     * warns at every deletion of a @TempDir holding a link out of it. bin/harmonix uses the archive only when
     * lib/harmonix.jsa.key names the launcher and JVM it was made for: the distribution's key, with the copy's
     * launcher path in place of the distribution's. Where the test's folder is on another file system than the
     * distribution (no hard link possible), or the distribution was built without the archive
     * (-Dharmonix.cds.skip=true), the copy gets the launcher copied and starts without the archive, as before.
     */
    private static void shareClassDataArchive(Path from, Path home) throws IOException {
        Path launcher = LAUNCHER_IN.apply(from);
        Path archive = from.resolve("lib/harmonix.jsa");
        Path key = from.resolve("lib/harmonix.jsa.key");
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(key)) {
            Files.copy(launcher, LAUNCHER_IN.apply(home), StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try {
            Files.createLink(LAUNCHER_IN.apply(home), launcher);
            Files.createLink(home.resolve("lib/harmonix.jsa"), archive);
        } catch (IOException | UnsupportedOperationException e) {
            Files.deleteIfExists(LAUNCHER_IN.apply(home));
            Files.copy(launcher, LAUNCHER_IN.apply(home), StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        // bin/harmonix names the launcher by its installation's real path (readlink -f of the script)
        String original = LAUNCHER_IN.apply(from.toRealPath()).toString();
        String keyText = Files.readString(key);
        if (!keyText.startsWith(original + " ")) {
            throw new IllegalStateException("lib/harmonix.jsa.key no longer starts with the launcher's path "
                    + original + " (bin/harmonix's cds_key changed?): " + keyText);
        }
        Files.writeString(home.resolve("lib/harmonix.jsa.key"),
                LAUNCHER_IN.apply(home.toRealPath()) + keyText.substring(original.length()));
    }

    /** A port free on loopback now, from the kernel's ephemeral range (not 8181, which other runtimes may hold). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Sets the port of etc/harmonix.properties, the one shell and run modes of this copy listen on. */
    void listenOn(int port) throws IOException {
        Path props = home.resolve("etc/harmonix.properties");
        String text = Files.readString(props);
        String changed = text.replaceAll("org.osgi.service.http.port = \\d+", "org.osgi.service.http.port = " + port);
        if (changed.equals(text) && !text.contains("org.osgi.service.http.port = " + port)) {
            throw new IllegalStateException("no org.osgi.service.http.port line in " + props);
        }
        Files.writeString(props, changed);
        this.port = port;
    }

    /** The port of etc/harmonix.properties. */
    int port() {
        return port;
    }

    Path script() {
        return home.resolve("bin/harmonix");
    }

    /** A finished command: exit status and what it printed. */
    record Result(int exit, String out, String err) {
        /**
         * @return the JSON documents of the standard output in order: the answers of an exec of several
         *         {@code --json} commands (ObjectMapper.readValues would take a first array for the sequence itself)
         */
        List<com.fasterxml.jackson.databind.JsonNode> documents() throws IOException {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
            try (com.fasterxml.jackson.core.JsonParser parser = json.createParser(out)) {
                while (parser.nextToken() != null) {
                    all.add(json.readTree(parser));
                }
            }
            return all;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code bin/harmonix ARGS} to its end (at most two minutes) from {@code workDir}. */
    Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, java.time.Duration.ofMinutes(2), args);
    }

    /** Runs {@code bin/harmonix ARGS} to its end (at most {@code limit}) from {@code workDir}. */
    Result run(Path workDir, java.time.Duration limit, String... args) throws IOException, InterruptedException {
        return waitFor(start(workDir, args), limit, args);
    }

    /**
     * Runs {@code bin/harmonix exec SCRIPT} to its end (at most five minutes) with more environment variables (such
     * as {@code HARMONIX_JAVA_OPTS}).
     */
    Result execWith(java.util.Map<String, String> environment, String script) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command("exec", script)).directory(home.toFile());
        pb.environment().remove("HARMONIX_DATA");
        pb.environment().remove("HARMONIX_LOG");
        pb.environment().putAll(environment);
        return waitFor(started(pb, home, List.of("exec", script)), java.time.Duration.ofMinutes(5), "exec", script);
    }

    private static Result waitFor(Process p, java.time.Duration limit, String... args) throws InterruptedException {
        // read both streams while it runs: a process writing more than a pipe holds would block otherwise
        Output out = new Output(p.getInputStream());
        Output err = new Output(p.getErrorStream());
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/harmonix " + String.join(" ", args) + " did not end within " + limit
                    + ":\n" + out.text() + err.text());
        }
        return new Result(p.exitValue(), out.rest(), err.rest());
    }

    Result exec(String script, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("exec");
        args.add(script);
        return run(home, args.toArray(new String[0]));
    }

    public Process start(Path workDir, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
        pb.environment().remove("HARMONIX_DATA");
        pb.environment().remove("HARMONIX_LOG");
        return started(pb, workDir, List.of(args));
    }

    /**
     * Starts {@code bin/harmonix ARGS} (run mode) as a runtime the test kills within seconds: with the quick compiler
     * only ({@code -XX:TieredStopAtLevel=1} in HARMONIX_JAVA_OPTS, what bin/harmonix gives exec mode). Run mode keeps
     * the optimizing compiler for what runs long; a runtime killed after a few seconds only pays for its
     * compilations: a start of the default features used 6.2 to 6.4 s of CPU in its first 8 s with it, 3.1 to 3.2 s
     * without (docs/performance.md, "Test suite"), and the suite's two forks share two cores.
     */
    public Process startToKill(Path workDir, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
        pb.environment().remove("HARMONIX_DATA");
        pb.environment().remove("HARMONIX_LOG");
        pb.environment().merge("HARMONIX_JAVA_OPTS", "-XX:TieredStopAtLevel=1", (given, quick) -> given + " " + quick);
        return started(pb, workDir, List.of(args));
    }

    /**
     * Starts {@code pb}; on PostgreSQL first points the store at the database of its data folder, refusing when a
     * runtime of this copy on another data folder is still alive (it would follow the changed configuration).
     */
    private synchronized Process started(ProcessBuilder pb, Path workDir, List<String> args) throws IOException {
        if (!RuntimeStore.postgresql()) {
            return pb.start();
        }
        Path data = RuntimeStore.dataFolder(home, workDir, args);
        running.values().forEach(list -> list.removeIf(p -> !p.isAlive()));
        for (var e : running.entrySet()) {
            if (!e.getKey().equals(data) && !e.getValue().isEmpty()) {
                throw new IllegalStateException("a runtime on " + e.getKey() + " is alive: with "
                        + RuntimeStore.PROPERTY + "=postgresql one copy serves one data folder at a time, not " + data);
            }
        }
        RuntimeStore.select(home, workDir, args);
        Process p = pb.start();
        running.computeIfAbsent(data, d -> new ArrayList<>()).add(p);
        return p;
    }

    /**
     * The command line of {@code bin/harmonix ARGS}. Every runtime a test starts stops with the test's JVM
     * ({@code --stop-with-parent}): a fork killed on a timeout (or by hand) leaves no runtime running behind it.
     */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.add("--stop-with-parent");
        command.addAll(RuntimeStore.postgresql() ? RuntimeStore.withStoreFeature(List.of(args)) : List.of(args));
        return command;
    }

    /** Reads a process's output line by line on a thread of its own, so that a test can wait for a line. */
    static final class Output {
        private final StringBuilder text = new StringBuilder();
        private final Thread reader;

        Output(java.io.InputStream in) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (text) {
                            text.append(line).append('\n');
                            text.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "output-reader");
            t.setDaemon(true);
            t.start();
            reader = t;
        }

        /** @return everything, once the stream has ended */
        String rest() throws InterruptedException {
            reader.join(10_000);
            return text();
        }

        /** Waits until the output contains {@code part}; fails after a minute with what it has. */
        void await(String part) throws InterruptedException {
            long end = System.currentTimeMillis() + 60_000;
            synchronized (text) {
                while (text.indexOf(part) < 0) {
                    long left = end - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new AssertionError("no '" + part + "' in the output within a minute:\n" + text);
                    }
                    text.wait(left);
                }
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
