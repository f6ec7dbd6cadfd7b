package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.api.Migration;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.postgresql.internal.PostgresDatabase;
import io.harmonix.store.postgresql.internal.PostgresMigrations;
import io.harmonix.store.postgresql.testing.PostgresServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundle's schema migrations, as shipped (the {@code MIGRATIONS} constants of the distribution's own jars,
 * found by reading every class of every {@code io.harmonix} jar, so a new bundle with tables is included without
 * being listed here), applied through the PostgreSQL store's migrator to one database of a real PostgreSQL server,
 * as a runtime on PostgreSQL applies them at start; then applied again, which must change nothing.
 */
class AllMigrationsOnPostgresIT {
    @TempDir
    Path dir;

    /** The components with tables today: the scan must find at least these. */
    private static final List<String> KNOWN = List.of("io.harmonix.state.internal.StateDatabase",
            "io.harmonix.propagator.internal.DeliveryStore", "io.harmonix.workflow.internal.DefinitionStore",
            "io.harmonix.agent.security.internal.deps.DerbyAdvisories", "io.harmonix.autonomy.internal.controller.RunStore",
            "io.harmonix.autonomy.internal.change.ChangeStore", "io.harmonix.fleet.builds.internal.BuildStore",
            "io.harmonix.fleet.sandbox.internal.CheckStore", "io.harmonix.fleet.internal.CatalogueStore",
            "io.harmonix.proposals.internal.EnhancementStore", "io.harmonix.waves.internal.WaveTables");

    @Test
    void everyBundlesMigrationsApplyOnPostgresqlOnceAndOnlyOnce() throws Exception {
        Map<String, List<Migration>> all = shippedMigrations();
        assertTrue(all.keySet().containsAll(KNOWN), "found: " + all.keySet());
        try (PostgresServer server = PostgresServer.start(dir)) {
            String name = server.createDatabase();
            try (PostgresDatabase db = new PostgresDatabase(server.url(name), PostgresServer.USER,
                    server.passwordFile(), 4, Duration.ofSeconds(30))) {
                SchemaMigrator migrator = new PostgresMigrations(db.dataSource());
                int steps = 0;
                for (Map.Entry<String, List<Migration>> e : all.entrySet()) {
                    List<Integer> applied = migrator.migrate(e.getKey(), e.getValue());
                    assertEquals(e.getValue().size(), applied.size(), e.getKey() + ": every step applied");
                    steps += applied.size();
                }
                for (Map.Entry<String, List<Migration>> e : all.entrySet()) {
                    assertEquals(List.of(), migrator.migrate(e.getKey(), e.getValue()), e.getKey() + " again");
                }
                assertEquals(steps, migrator.history().size());
            }
        }
    }

    /** Class name to its migrations, read from the distribution's jars in a class loader of their own. */
    private static Map<String, List<Migration>> shippedMigrations() throws Exception {
        List<Path> jars;
        // system/ is laid out as a Maven repository (system/io/harmonix/NAME/VERSION/NAME-VERSION.jar)
        try (Stream<Path> files = Files.walk(HarmonixContainer.distribution().resolve("system"))) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            urls.add(jar.toUri().toURL());
        }
        Map<String, List<Migration>> out = new TreeMap<>();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().startsWith("io.harmonix.")) {
                    continue;
                }
                for (String className : classesNamingMigrations(jar)) {
                    Class<?> type = Class.forName(className, false, loader);
                    Field field;
                    try {
                        field = type.getDeclaredField("MIGRATIONS");
                    } catch (NoSuchFieldException e) {
                        continue;
                    }
                    if (!Modifier.isStatic(field.getModifiers()) || !List.class.equals(field.getType())) {
                        continue;
                    }
                    field.setAccessible(true);
                    out.put(className, copy((List<?>) field.get(null)));
                }
            }
        }
        return out;
    }

    /** The classes of a jar whose constant pool names a field MIGRATIONS (read as bytes: nothing is loaded). */
    private static List<String> classesNamingMigrations(Path jar) throws IOException {
        List<String> out = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(file.entries())) {
                if (e.getName().endsWith(".class") && e.getName().startsWith("io/harmonix/")) {
                    String bytes = new String(file.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (bytes.contains("MIGRATIONS") && bytes.contains("io/harmonix/store/api/Migration")) {
                        out.add(e.getName().replace('/', '.').replaceAll("\\.class$", ""));
                    }
                }
            }
        }
        return out;
    }

    /** The shipped Migration records (of the other class loader) as this test's. */
    private static List<Migration> copy(List<?> shipped) throws Exception {
        List<Migration> out = new ArrayList<>();
        for (Object m : shipped) {
            Method version = m.getClass().getMethod("version");
            Method description = m.getClass().getMethod("description");
            Method statements = m.getClass().getMethod("statements");
            List<String> sql = new ArrayList<>();
            for (Object s : (List<?>) statements.invoke(m)) {
                sql.add((String) s);
            }
            out.add(new Migration((Integer) version.invoke(m), (String) description.invoke(m), sql));
        }
        return out;
    }
}
