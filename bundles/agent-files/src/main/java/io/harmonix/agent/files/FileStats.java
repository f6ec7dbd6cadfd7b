package io.harmonix.agent.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.io.InputStreamReader;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Counts of one directory tree: text files (by extension), their lines, and TODO/FIXME markers.
 * Hidden directories (such as {@code .git}) and files above a size limit are skipped.
 */
record FileStats(long files, long lines, long todos, long skipped) {
    private static final Pattern MARKER = Pattern.compile("\\b(TODO|FIXME)\\b");

    /**
     * @param stop asked between files; when it answers true the walk gives up with an {@link IOException}
     */
    static FileStats of(Path root, Set<String> extensions, long maxFileBytes, BooleanSupplier stop)
            throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("directory '" + root + "' does not exist or is not a directory");
        }
        long[] counts = new long[4];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(root) && name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (stop.getAsBoolean()) {
                    throw new IOException("deadline passed after " + counts[0] + " files");
                }
                if (!attrs.isRegularFile() || !extensions.contains(extension(file))) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.size() > maxFileBytes) {
                    counts[3]++;
                    return FileVisitResult.CONTINUE;
                }
                try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
                    long lines = 0;
                    long todos = 0;
                    for (String line; (line = in.readLine()) != null; ) {
                        lines++;
                        if (MARKER.matcher(line).find()) {
                            todos++;
                        }
                    }
                    counts[0]++;
                    counts[1] += lines;
                    counts[2] += todos;
                } catch (CharacterCodingException e) {
                    counts[3]++; // not UTF-8 text
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                counts[3]++; // vanished or unreadable while we walked: counted, not fatal
                return FileVisitResult.CONTINUE;
            }
        });
        return new FileStats(counts[0], counts[1], counts[2], counts[3]);
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
