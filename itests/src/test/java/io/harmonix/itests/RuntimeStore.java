package io.harmonix.itests;

import io.harmonix.store.postgresql.testing.PostgresServer;
import io.harmonix.store.postgresql.testing.PostgresTestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store of the packaged runtimes the ITs start, chosen by the system property {@value #PROPERTY}: {@code derby}
 * (the default: each data folder's own embedded Derby, as shipped) or {@code postgresql} ({@code mvn -Ppostgresql}
 * in itests), with which the same tests run their runtimes on a real PostgreSQL server: one per test JVM
 * ({@link PostgresTestStore#server()}, stopped when the JVM ends), the feature {@code harmonix-store-postgresql}
 * booted, and a database of its own per data folder, made the first time a runtime is started on that folder, so that
 * a test's "crashed" and "calm" folders (the same run ids in both) stay apart as their Derby folders do.
 *
 * <p>The store's configuration is {@code etc/io.harmonix.store.cfg} of the installation, which every data folder of
 * it shares: it is written for the data folder of each command just before that command starts. So two runtimes of
 * one copy on two data folders must not be alive at once; {@link PackagedRuntime} refuses to start the second
 * (never the case in the durability tests, whose runtimes on one folder are killed before the other is used).
 */
final class RuntimeStore {
    /** The system property that chooses the store: {@code derby} or {@code postgresql}. */
    static final String PROPERTY = "harmonix.it.store";
    private static final Map<Path, String> DATABASES = new HashMap<>();

    private RuntimeStore() {
    }

    /** Whether the ITs' runtimes run on PostgreSQL; a value other than the two is an error naming the property. */
    static boolean postgresql() {
        String store = System.getProperty(PROPERTY, "derby").strip().toLowerCase(Locale.ROOT);
        return switch (store) {
            case "derby", "" -> false;
            case "postgresql" -> true;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + store
                    + ": expected derby or postgresql");
        };
    }

    /** Boots the PostgreSQL store's feature in {@code home} and gives it the test server's password file. */
    static void prepare(Path home) throws IOException {
        PostgresServer server = PostgresTestStore.server();
        Path props = home.resolve("etc/harmonix.properties");
        String text = Files.readString(props);
        String changed = text.replaceFirst("(?m)^(harmonix.features = .*)$", "$1,harmonix-store-postgresql");
        if (changed.equals(text)) {
            throw new IllegalStateException("no harmonix.features line in " + props);
        }
        Files.writeString(props, changed);
        Path secret = home.resolve("etc/store.password");
        Files.copy(server.passwordFile(), secret, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Points {@code home}'s store at the database of the data folder of {@code args} (its {@code --data} option,
     * else {@code home/data}), made at the first command on that folder.
     */
    static void select(Path home, Path workDir, List<String> args) throws IOException {
        Path data = dataFolder(home, workDir, args);
        if (Files.exists(data.resolve("derby"))) {
            // each start checks that no earlier command on the folder went to Derby instead
            throw new IllegalStateException(data + "/derby exists: a runtime on this data folder used Derby, not "
                    + "PostgreSQL");
        }
        String database;
        synchronized (DATABASES) {
            database = DATABASES.get(data);
            if (database == null) {
                try {
                    database = PostgresTestStore.server().createDatabase();
                } catch (SQLException e) {
                    throw new IOException("could not create the PostgreSQL database of " + data, e);
                }
                DATABASES.put(data, database);
                System.out.println("RuntimeStore: the runtimes on " + data + " use PostgreSQL database " + database);
            }
        }
        Files.writeString(home.resolve("etc/io.harmonix.store.cfg"), "provider = postgresql\nurl = "
                + PostgresTestStore.server().url(database) + "\nuser = " + PostgresServer.USER + "\n");
    }

    /**
     * {@code args} with the PostgreSQL store's feature added to a {@code --features} list: the store is configured
     * for PostgreSQL, and a runtime that boots only some features (the core for {@code index:verify}) needs it too.
     */
    static List<String> withStoreFeature(List<String> args) {
        List<String> out = new java.util.ArrayList<>(args);
        int at = out.indexOf("--features");
        if (at >= 0 && at + 1 < out.size() && !out.get(at + 1).contains("harmonix-store-postgresql")) {
            out.set(at + 1, out.get(at + 1) + ",harmonix-store-postgresql");
        }
        return out;
    }

    /** The data folder {@code bin/harmonix ARGS} uses: its {@code --data} option, else the installation's data/. */
    static Path dataFolder(Path home, Path workDir, List<String> args) {
        int at = args.indexOf("--data");
        Path data = at >= 0 && at + 1 < args.size() ? workDir.resolve(args.get(at + 1)) : home.resolve("data");
        return data.toAbsolutePath().normalize();
    }
}
