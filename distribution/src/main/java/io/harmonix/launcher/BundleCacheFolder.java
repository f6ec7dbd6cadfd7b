package io.harmonix.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Where Felix keeps its bundle cache when {@code org.osgi.framework.storage} is not set: in memory when the system
 * has a memory file system for it, else in the data folder ({@code DATA/cache}).
 *
 * <p>Why: the cache is rebuilt at every start ({@code onFirstInit}) and holds nothing durable, yet building it is
 * about 300 file and folder creations (a folder, a revision folder and two small files per bundle, the next id
 * after each install). On this machine's ext4 disk they were a tenth of a start with the default features
 * (docs/performance.md, "The bundle cache in memory"); on tmpfs they cost nearly nothing.
 *
 * <p>The memory roots are {@code $XDG_RUNTIME_DIR} (the user's own, mode 700) and {@code /dev/shm}, shared by every
 * user of the machine. There this runtime makes a folder of its own, mode 700, and Felix's cache is the {@code cache}
 * folder inside it (Felix deletes and makes that one again at every start, with the default mode: the folder around
 * it is what keeps others out). A folder found under its name is taken only when it is a real folder (not a link) of
 * the data folder's owner that nobody else may enter; otherwise another user could have planted it and, through the
 * cache's {@code revision.location} files, chosen the code this runtime loads. A root with less than
 * {@value #MIN_FREE_BYTES} bytes free (a container's 64 MB {@code /dev/shm}) is not used: bundles installed from
 * {@code deploy/} are copied into the cache.
 *
 * <p>The folder is named after the data folder's real path, so a runtime started again on the same data folder
 * takes the same one (one runtime per data folder holds its lock), and it names that path in its {@value #OWNER}
 * file. It is deleted when the runtime stops; one left by a kill -9 is taken again by the next start on that data
 * folder, and deleted by any start once its data folder is gone (or goes with a reboot).
 */
final class BundleCacheFolder {
    static final long MIN_FREE_BYTES = 256L << 20;
    /** The file in the folder that names the data folder it serves. */
    static final String OWNER = "data-folder";
    private static final String PREFIX = "harmonix-";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private BundleCacheFolder() {
    }

    /** The memory roots of this system, in order of preference: {@code $XDG_RUNTIME_DIR}, {@code /dev/shm}. */
    static List<Path> memoryRoots() {
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return runtimeDir == null || runtimeDir.isBlank() ? List.of(Path.of("/dev/shm"))
                : List.of(Path.of(runtimeDir), Path.of("/dev/shm"));
    }

    /**
     * @param data  the data folder, which exists and is this runtime's (its lock is held)
     * @param roots memory roots to try, in order
     * @return this runtime's folder in the first usable root, made or checked as the class comment says (Felix's
     *         cache is its {@code cache} folder); null when no root is usable (the caller then uses
     *         {@code DATA/cache})
     */
    static Path inMemory(Path data, List<Path> roots) throws IOException {
        Path real = data.toRealPath();
        Object owner = Files.getOwner(real);
        String name = PREFIX + digest(real.toString()) + "-cache";
        for (Path root : roots) {
            if (!usable(root)) {
                continue;
            }
            Path folder = root.resolve(name);
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                // the umask may have taken permissions away, never added any; said again for a clear state
                Files.setPosixFilePermissions(folder, OWNER_ONLY);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!ours(folder, owner)) {
                    continue;
                }
            } catch (IOException | UnsupportedOperationException e) {
                continue; // this root does not take it (read-only, no POSIX permissions): the next one, or data/
            }
            Files.writeString(folder.resolve(OWNER), real.toString());
            sweep(root, folder, owner);
            return folder;
        }
        return null;
    }

    /** Deletes this user's folders in the root whose data folder is gone (left by a kill -9, then removed). */
    private static void sweep(Path root, Path own, Object owner) {
        try (var folders = Files.newDirectoryStream(root, PREFIX + "*-cache")) {
            for (Path folder : folders) {
                if (folder.equals(own) || !ours(folder, owner)) {
                    continue;
                }
                try {
                    Path data = Path.of(Files.readString(folder.resolve(OWNER)).trim());
                    if (data.isAbsolute() && !Files.exists(data)) {
                        delete(folder);
                    }
                } catch (IOException | RuntimeException e) {
                    // no owner file (being made this instant), or unreadable: left alone
                }
            }
        } catch (IOException e) {
            // the root cannot be listed: nothing to sweep
        }
    }

    private static boolean usable(Path root) {
        try {
            return Files.isDirectory(root) && Files.isWritable(root)
                    && Files.getFileStore(root).getUsableSpace() >= MIN_FREE_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder left by an earlier start on this data folder: taken only when nobody else could have made it. */
    private static boolean ours(Path folder, Object owner) {
        try {
            PosixFileAttributes a = Files.readAttributes(folder, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() && !a.isSymbolicLink() && a.owner().equals(owner)
                    && a.permissions().equals(OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Deletes the cache folder and everything in it (links are deleted, never followed); quiet when gone. */
    static void delete(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            System.err.println("harmonix: the bundle cache " + folder + " could not be deleted: " + e.getMessage());
        }
    }

    private static String digest(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
