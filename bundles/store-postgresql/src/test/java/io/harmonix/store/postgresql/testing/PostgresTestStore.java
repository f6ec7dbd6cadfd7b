package io.harmonix.store.postgresql.testing;

import io.harmonix.store.postgresql.internal.PostgresDatabase;
import io.harmonix.store.postgresql.internal.PostgresMigrations;
import io.harmonix.store.testing.TestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The {@code postgresql} store of the store's {@code DerbyFixture} ({@code -Dharmonix.test.store=postgresql}): one
 * PostgreSQL server per test JVM, started at the first fixture and stopped when the JVM exits, and one database per
 * fixture folder, made at its first open and named in {@code FOLDER/postgresql.database}, so that opening the same
 * folder again finds what was written, as with Derby.
 */
public final class PostgresTestStore implements TestStore {
    /** The loopback port of the server of the JVM that started this one: attach to it instead of starting one. */
    static final String PORT_PROPERTY = "harmonix.test.postgresql.port";
    /** Its password file. */
    static final String PASSWORD_FILE_PROPERTY = "harmonix.test.postgresql.passwordFile";
    private static PostgresServer server;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Database open(Path folder) throws SQLException {
        PostgresServer s = server();
        Path marker = folder.resolve("postgresql.database");
        String database;
        try {
            Files.createDirectories(folder);
            if (Files.exists(marker)) {
                database = Files.readString(marker, StandardCharsets.UTF_8).strip();
            } else {
                database = s.createDatabase();
                Files.writeString(marker, database, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresDatabase db = new PostgresDatabase(s.url(database), PostgresServer.USER, s.passwordFile(), 16,
                Duration.ofSeconds(30));
        return new Database(db.dataSource(), new PostgresMigrations(db.dataSource()), db::close);
    }

    @Override
    public java.util.List<String> jvmOptions() {
        PostgresServer s = server();
        return java.util.List.of("-D" + PORT_PROPERTY + "=" + s.port(), "-D" + PASSWORD_FILE_PROPERTY + "="
                + s.passwordFile());
    }

    /**
     * The server of this JVM's fixtures, started at the first call; or, when {@value #PORT_PROPERTY} is set, the
     * server of the JVM that started this one.
     */
    public static synchronized PostgresServer server() {
        String port = System.getProperty(PORT_PROPERTY);
        if (server == null && port != null) {
            try {
                server = PostgresServer.attach(Integer.parseInt(port.strip()),
                        Path.of(System.getProperty(PASSWORD_FILE_PROPERTY)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (server == null) {
            try {
                Path folder = Files.createTempDirectory("harmonix-postgresql");
                server = PostgresServer.start(folder);
                PostgresServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                        try (var files = Files.walk(folder)) {
                            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                        }
                    } catch (IOException | InterruptedException e) {
                        System.err.println("harmonix tests: the PostgreSQL server of " + folder + " did not stop: " + e);
                    }
                }, "harmonix-postgresql-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }
        return server;
    }
}
