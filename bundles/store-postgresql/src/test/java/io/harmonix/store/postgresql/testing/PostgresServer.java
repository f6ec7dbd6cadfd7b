package io.harmonix.store.postgresql.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: its cluster made with Debian's {@code initdb} in a folder of the test's, started
 * with {@code pg_ctl} on a free loopback port, stopped (and nothing of it left running) by {@link #close}. Logins over
 * TCP need the password (SCRAM), which {@link #passwordFile} holds, so the tests go through the store's password
 * path; no Unix socket is made. The server runs with {@code fsync=off}: no test crashes the machine under it, and the
 * runtimes the tests kill are its clients.
 *
 * <p>PostgreSQL refuses to run as root. When the test runs as root (CI, this machine), every PostgreSQL program runs
 * as {@code nobody} through {@code setpriv}, in a folder that user owns inside the test's folder (which is made
 * traversable, not readable, by others). The programs are found under {@code /usr/lib/postgresql/VERSION/bin} (the
 * newest), or in the folder of the environment variable {@code HARMONIX_PG_BIN}; {@code .ci/run} installs Debian's
 * {@code postgresql} package when none is there.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser the tests log in as. */
    public static final String USER = "harmonix";
    private static final int NOBODY = 65534;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final Path passwordFile;
    private final String password;
    private final boolean root;
    private int port;

    private PostgresServer(Path bin, Path folder, boolean root) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.passwordFile = folder.resolve("password");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.password = HexFormat.of().formatHex(secret);
        this.root = root;
    }

    private PostgresServer(int port, Path passwordFile) throws IOException {
        this.bin = null;
        this.folder = null;
        this.data = null;
        this.passwordFile = passwordFile;
        this.password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        this.root = false;
        this.port = port;
    }

    /**
     * A server another process started (the test JVM that started the one calling this), reached on loopback
     * {@code port} with the password in {@code passwordFile}; {@link #close} leaves it running for its owner.
     */
    public static PostgresServer attach(int port, Path passwordFile) throws IOException {
        return new PostgresServer(port, passwordFile);
    }

    /**
     * Makes a cluster in {@code parent}/postgresql and starts its server.
     *
     * @param parent a folder of the test's (a {@code @TempDir}); its ancestors must let others through (as /tmp does)
     */
    public static PostgresServer start(Path parent) throws IOException, InterruptedException {
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        Path folder = parent.resolve("postgresql");
        Files.createDirectories(folder);
        if (root) {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setAttribute(folder, "unix:uid", NOBODY);
            Files.setAttribute(folder, "unix:gid", NOBODY);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        PostgresServer server = new PostgresServer(binaries(), folder, root);
        server.initdb();
        server.startOnAFreePort();
        return server;
    }

    /** The newest {@code /usr/lib/postgresql/VERSION/bin}, or {@code $HARMONIX_PG_BIN}. */
    static Path binaries() throws IOException {
        String given = System.getenv("HARMONIX_PG_BIN");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path lib = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent()))).orElseThrow(() -> new IOException(
                            "no PostgreSQL server programs in /usr/lib/postgresql/*/bin: install Debian's postgresql "
                                    + "package (apt-get install postgresql; .ci/run does) or set HARMONIX_PG_BIN"));
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void initdb() throws IOException, InterruptedException {
        Path pwfile = folder.resolve("initdb-password");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        ownedByServer(pwfile);
        run(List.of("initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C",
                "--auth-host=scram-sha-256", "--auth-local=reject", "--no-sync"), folder.resolve("initdb.log"));
        Files.delete(pwfile);
    }

    private void startOnAFreePort() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = freePort();
            try {
                // -k '': no Unix socket; the port is free a moment ago, and when another process took it since, the
                // start fails with "could not bind" and the next free port is tried
                run(List.of("pg_ctl", "-D", data.toString(), "-l", folder.resolve("server.log").toString(), "-w",
                        "-t", "60", "-o", "-p " + port + " -k '' -c listen_addresses=127.0.0.1 -c fsync=off "
                                + "-c max_connections=300 -c shared_buffers=32MB", "start"), folder.resolve("pg_ctl.log"));
                return;
            } catch (IOException e) {
                last = e;
                if (!log().contains("could not bind")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void ownedByServer(Path file) throws IOException {
        if (root) {
            Files.setAttribute(file, "unix:uid", NOBODY);
            Files.setAttribute(file, "unix:gid", NOBODY);
        }
    }

    /** Runs a PostgreSQL program (as nobody under root), its output to {@code log}; fails when it exits non-zero. */
    private void run(List<String> command, Path log) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        full.add(bin.resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        ProcessBuilder pb = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not end within 120 s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip() + "\nserver log: " + log());
        }
    }

    /** The server's own log, so far. */
    public String log() {
        try {
            return Files.readString(folder.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    public int port() {
        return port;
    }

    /** @return the JDBC URL of {@code database} on this server */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A file holding {@link #USER}'s password, mode 600, as a runtime's {@code passwordFile}. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** A connection of {@link #USER} to {@code database} (the caller closes it). */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password);
        return new org.postgresql.Driver().connect(url(database), p);
    }

    /** @return the name of a new, empty database on this server (unique across the JVMs that share it) */
    public String createDatabase() throws SQLException {
        String name = "hx_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /**
     * Stops the server (fast: sessions still open are ended) and waits until it has; nothing for a server
     * {@linkplain #attach attached to}, which its own process stops.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (data == null) {
            return;
        }
        run(List.of("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                folder.resolve("pg_ctl-stop.log"));
    }
}
