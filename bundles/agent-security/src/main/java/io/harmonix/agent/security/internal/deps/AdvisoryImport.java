package io.harmonix.agent.security.internal.deps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads advisory files into the store: a JSON file (one advisory or an array), or a folder of them searched
 * recursively (an unpacked OSV dump, {@code all.zip} of an ecosystem). A file that is not valid OSV is refused with
 * its reason and the others are imported, so that one bad file does not stop a dump of thousands.
 */
public final class AdvisoryImport {
    /** Advisories are written in batches of this many, each batch one transaction. */
    static final int BATCH = 500;

    /**
     * What an import did.
     *
     * @param files how many files were read
     * @param advisories how many advisories were stored
     * @param errors one message per refused file, naming it and what is wrong
     */
    public record Report(int files, int advisories, List<String> errors) {
        public Report {
            errors = List.copyOf(errors);
        }
    }

    private AdvisoryImport() {
    }

    /** @throws IOException when {@code path} does not exist or cannot be read */
    public static Report run(AdvisoryStore store, Path path) throws IOException, SQLException {
        if (!Files.exists(path)) {
            throw new IOException(path + " does not exist: give an OSV JSON file or a folder of them");
        }
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                        .sorted().toList();
            }
        } else {
            files = List.of(path);
        }
        List<String> errors = new ArrayList<>();
        List<Advisory> batch = new ArrayList<>();
        int stored = 0;
        for (Path file : files) {
            try {
                batch.addAll(OsvReader.read(file));
            } catch (AdvisoryFormatException e) {
                errors.add(e.getMessage());
            }
            if (batch.size() >= BATCH) {
                stored += store.save(batch);
                batch.clear();
            }
        }
        stored += store.save(batch);
        return new Report(files.size(), stored, errors);
    }
}
