package io.harmonix.store.internal;

import io.harmonix.store.api.Migration;
import io.harmonix.store.provider.SqlMigrator;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * The installation's template of a Derby database ({@code lib/store-template/}): the schemas of every component of
 * the default features migrated once, by the distribution build ({@code store:template}), into a database that was
 * then shut down, and nothing else in it (no row but the migrations' own). A fresh data folder gets its database as
 * a copy of it (a cold copy of a shut-down Derby database is Derby's supported backup and restore) instead of Derby
 * creating the database and each component applying its steps: creating and migrating were most of the first start's
 * cost. The migrator then finds every step applied and verifies each by its checksum.
 *
 * <p>The template is used only for the bundles it was made with: its file {@value #BUNDLES} lists each bundle of the
 * build's start (symbolic name and version, which for a snapshot build carries the build's time), and every one must
 * be installed at the same version; otherwise (a bundle updated or left out, another feature set) the database is
 * created and migrated as without a template. Components of bundles that are not in the list migrate on top of the
 * copy as usual.
 *
 * <p>A damaged template (a file truncated, a byte flipped, a file missing or added) is never copied: its file
 * {@value #CHECKSUMS} holds the SHA-256 of every file of its database, written with it, and the copy checks each
 * file it copies against it; on a difference the copy is dropped and fails naming the template and the file, and
 * the database is created and migrated as without a template ({@link DerbyDatabase} says so as a warning). Derby
 * would not always notice: a flipped byte in a data page is found only when that page is read, long after the start.
 */
public final class StoreTemplate {
    /** The template's folder in the installation's {@code lib/}. */
    public static final String FOLDER = "store-template";
    /** The database in the template's folder. */
    static final String DATABASE = "derby";
    /** The bundles the template was made with, one {@code SYMBOLIC-NAME VERSION} a line. */
    static final String BUNDLES = "bundles";
    /** The SHA-256 of each file of the template's database, one {@code HEX  RELATIVE/PATH} a line, sorted by path. */
    static final String CHECKSUMS = "checksums";

    private final Path folder;

    /** @param folder the template's folder ({@code HOME/lib/store-template}), which may not exist */
    public StoreTemplate(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /**
     * Why this template cannot seed a database for the bundles installed now.
     *
     * @param installed the installed bundles, each as {@code SYMBOLIC-NAME VERSION}
     * @return null when it can; else the reason, for the log
     */
    public String refusal(Set<String> installed) {
        Path list = folder.resolve(BUNDLES);
        if (!Files.isRegularFile(list) || !Files.isDirectory(folder.resolve(DATABASE))) {
            return "no template in " + folder;
        }
        List<String> made;
        try {
            made = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "cannot read " + list + ": " + e.getMessage();
        }
        for (String bundle : made) {
            if (!bundle.isBlank() && !installed.contains(bundle.strip())) {
                return "it was made with the bundle " + bundle.strip() + ", which is not installed";
            }
        }
        return null;
    }

    /**
     * Copies the template's database into {@code directory}, which must not exist: through a sibling folder renamed
     * into place once complete, so that a start killed during the copy leaves no half database (the next start
     * copies again). Every file is checked against the template's {@value #CHECKSUMS} as it is copied.
     *
     * @throws IOException when the template is damaged (naming the template and the file) or cannot be read; no
     *     folder is left behind
     */
    public void copyTo(Path directory) throws IOException {
        Path partial = directory.resolveSibling(directory.getFileName() + ".from-template");
        delete(partial);
        Path source = folder.resolve(DATABASE);
        try {
            Map<String, String> expected = checksums();
            Map<String, String> copied = copy(source, partial);
            String damage = damage(expected, copied);
            if (damage != null) {
                throw new IOException("the template " + folder + " is damaged: " + damage);
            }
        } catch (IOException | RuntimeException e) {
            delete(partial);
            throw e;
        }
        Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the first difference between the files listed and the files copied, or null when there is none */
    static String damage(Map<String, String> expected, Map<String, String> copied) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String actual = copied.get(e.getKey());
            if (actual == null) {
                return "its file " + DATABASE + "/" + e.getKey() + " is missing";
            }
            if (!actual.equals(e.getValue())) {
                return "its file " + DATABASE + "/" + e.getKey() + " does not match its checksum in " + CHECKSUMS
                        + " (SHA-256 " + actual + ", written " + e.getValue() + ")";
            }
        }
        for (String file : copied.keySet()) {
            if (!expected.containsKey(file)) {
                return "its file " + DATABASE + "/" + file + " is not listed in " + CHECKSUMS;
            }
        }
        return null;
    }

    /** The checksums written with the template, by relative path. */
    private Map<String, String> checksums() throws IOException {
        Path list = folder.resolve(CHECKSUMS);
        if (!Files.isRegularFile(list)) {
            throw new IOException("the template " + folder + " is damaged: its file " + CHECKSUMS + " is missing");
        }
        Map<String, String> sums = new TreeMap<>();
        int n = 0;
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int gap = line.indexOf("  ");
            if (gap != 64 || line.length() <= 66) {
                throw new IOException("the template " + folder + " is damaged: line " + n + " of its file " + CHECKSUMS
                        + " is not HEX-SHA-256 (64 characters), two spaces, a path: '" + line + "'");
            }
            sums.put(line.substring(66), line.substring(0, 64));
        }
        return sums;
    }

    /** Copies the tree; @return the SHA-256 of each file copied, by path relative to {@code source} ('/'-separated) */
    private static Map<String, String> copy(Path source, Path partial) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(partial.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = relative(source, file);
                MessageDigest sha = sha256();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                    Files.copy(in, partial.resolve(source.relativize(file).toString()));
                }
                sums.put(relative, HexFormat.of().formatHex(sha.digest()));
                return FileVisitResult.CONTINUE;
            }
        });
        return sums;
    }

    /** The SHA-256 of every file under {@code database}, as {@value #CHECKSUMS} lists them. */
    private static List<String> checksumLines(Path database) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(database)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                lines.add(HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(file))) + "  "
                        + relative(database, file));
            }
        }
        lines.sort(Comparator.comparing(line -> line.substring(66)));
        return lines;
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Writes a template into {@link #folder} (which must not exist): a new Derby database with {@code migrations}
     * applied, each component's steps in order, shut down; and the list of {@code bundles}.
     *
     * @param migrations each component's migrations, as the components asked for them
     * @param bundles the bundles installed, each as {@code SYMBOLIC-NAME VERSION}
     * @return the components migrated, in order
     */
    public List<String> write(Map<String, List<Migration>> migrations, Set<String> bundles)
            throws IOException, SQLException {
        if (Files.exists(folder)) {
            throw new IOException(folder + " exists: a template is written into a new folder");
        }
        Path partial = folder.resolveSibling(folder.getFileName() + ".partial");
        delete(partial);
        Files.createDirectories(partial);
        Path database = partial.resolve(DATABASE).toAbsolutePath();
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(database.toString());
        ds.setCreateDatabase("create");
        Applier applier = new Applier(ds);
        List<String> done = new ArrayList<>();
        try {
            for (Map.Entry<String, List<Migration>> e : migrations.entrySet()) {
                applier.apply(e.getKey(), e.getValue());
                done.add(e.getKey());
            }
        } finally {
            EmbeddedDataSource shutdown = new EmbeddedDataSource();
            shutdown.setDatabaseName(database.toString());
            shutdown.setShutdownDatabase("shutdown");
            try (Connection c = shutdown.getConnection()) {
                c.isValid(1);
            } catch (SQLException expected) {
                if (!"08006".equals(expected.getSQLState())) {
                    throw expected;
                }
            }
        }
        Files.write(partial.resolve(BUNDLES), new TreeSet<>(bundles), StandardCharsets.UTF_8);
        Files.write(partial.resolve(CHECKSUMS), checksumLines(database), StandardCharsets.UTF_8);
        Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        return done;
    }

    /** The store's migrator on the template's own database (its steps recorded as on any database). */
    private static final class Applier extends SqlMigrator {
        private final EmbeddedDataSource ds;

        Applier(EmbeddedDataSource ds) {
            super(ds, UnaryOperator.identity(), Set.of("X0Y32"));
            this.ds = ds;
        }

        void apply(String component, List<Migration> migrations) throws SQLException {
            checkNumbering(component, migrations);
            applyOn(ds, component, migrations);
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
