package io.harmonix.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
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
 * <p>The memory roots are {@code $XDG_RUNTIME_DIR}, taken only when it is this process's user's own (owned by it,
 * nobody else may enter: a root process that inherited another user's would otherwise write where that user can
 * swap folders), and {@code /dev/shm}, taken only when it is root's with the sticky bit (nobody can then rename or
 * delete another's folder in it). There this runtime makes a folder of its own, mode 700, and Felix's cache is the
 * {@code cache} folder inside it (Felix deletes and makes that one again at every start, with the default mode: the
 * folder around it is what keeps others out). A folder found under its name is taken only when it is a real folder
 * (not a link) of this process's user that nobody else may enter; otherwise another user could have planted it and,
 * through the cache's {@code revision.location} files, chosen the code this runtime loads, or through links in it
 * made this runtime write or delete elsewhere with its rights (its {@code cache} folder is deleted here, links not
 * followed, before Felix cleans it, and its {@value #OWNER} file written anew, never through a link). A root with
 * less than {@value #MIN_FREE_BYTES} bytes free (a container's 64 MB {@code /dev/shm}) is not used: bundles installed
 * from {@code deploy/} are copied into the cache.
 *
 * <p>The folder is named after the data folder's real path, so a runtime started again on the same data folder
 * takes the same one (one runtime per data folder holds its lock), and it names that path in its {@value #OWNER}
 * file. It is deleted when the runtime stops (once, by whichever of the launcher's main thread and its shutdown hook
 * comes first, the other waiting for it, before the data folder's lock is let go); one left by a kill -9 is taken
 * again by the next start on that data folder, and deleted by a start of the same user once its data folder is gone
 * from here, it was named over a minute ago and no runtime holds its {@value #LOCK} file. The launcher holds that
 * lock for as long as the runtime runs (Felix's own {@code cache.lock} cannot tell: Felix deletes it with the rest of
 * its cache when it cleans it at start, and goes on holding a file without a name): a runtime whose data folder this
 * start cannot see (in another mount namespace) keeps its folder, and a second runtime that would take the same
 * folder (another namespace sharing {@code /dev/shm}, the same data path) finds it held and goes to the next root,
 * or to {@code DATA/cache}.
 */
final class BundleCacheFolder {
    static final long MIN_FREE_BYTES = 256L << 20;
    /** The file in the folder that names the data folder it serves. */
    static final String OWNER = "data-folder";
    /** Felix's cache inside the folder (org.osgi.framework.storage). */
    static final String CACHE = "cache";
    /** The file whose lock the launcher holds while the runtime runs. */
    static final String LOCK = "lock";
    private static final String PREFIX = "harmonix-";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int STICKY = 01000;
    private static final Duration SWEEP_AFTER = Duration.ofMinutes(1);

    private final Path folder;
    private final FileChannel lockChannel;
    private boolean deleted;

    private BundleCacheFolder(Path folder, FileChannel lockChannel) {
        this.folder = folder;
        this.lockChannel = lockChannel;
    }

    /** This runtime's folder; Felix's cache is its {@value #CACHE} folder. */
    Path path() {
        return folder;
    }

    /** Deletes the folder, once: a second caller (the shutdown hook, or the main thread) waits for the first. */
    synchronized void delete() {
        if (!deleted) {
            deleted = true;
            deleteTree(folder);
            close(lockChannel); // let go only once the folder is gone
        }
    }

    /** What a kill -9 leaves: the folder, its lock let go (for tests: the process cannot die here). */
    synchronized void abandon() {
        close(lockChannel);
    }

    /** The memory roots of this system, in order of preference: {@code $XDG_RUNTIME_DIR}, {@code /dev/shm}. */
    static List<Path> memoryRoots() {
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return runtimeDir == null || runtimeDir.isBlank() ? List.of(Path.of("/dev/shm"))
                : List.of(Path.of(runtimeDir), Path.of("/dev/shm"));
    }

    /** This process's user id; null where the JDK cannot tell (not a Unix): then no memory folder. */
    static Integer processUid() {
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param data  the data folder, which exists and is this runtime's (its lock is held)
     * @param roots memory roots to try, in order
     * @param uid   this process's user id ({@link #processUid()})
     * @return this runtime's folder in the first usable root, made or checked as the class comment says; null when
     *         no root is usable (the caller then uses {@code DATA/cache})
     */
    static BundleCacheFolder inMemory(Path data, List<Path> roots, Integer uid) throws IOException {
        if (uid == null) {
            return null;
        }
        Path real = data.toRealPath();
        String name = PREFIX + digest(real.toString()) + "-cache";
        for (Path root : roots) {
            if (!usable(root, uid)) {
                continue;
            }
            Path folder = root.resolve(name);
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                // the umask may have taken permissions away, never added any; said again for a clear state
                Files.setPosixFilePermissions(folder, OWNER_ONLY);
            } catch (FileAlreadyExistsException e) {
                if (!ours(folder, uid)) {
                    continue;
                }
            } catch (IOException | UnsupportedOperationException e) {
                continue; // this root does not take it (read-only, no POSIX permissions): the next one, or data/
            }
            FileChannel lock = lock(folder);
            if (lock == null) {
                continue; // a runtime runs on it (another namespace, the same data path): not shared
            }
            try {
                deleteTree(folder.resolve(CACHE)); // Felix's own clean would follow a link planted there
                Path owner = folder.resolve(OWNER);
                Files.deleteIfExists(owner);
                Files.writeString(owner, real.toString(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                deleteTree(folder); // full, or a folder where the owner file goes: the next root, or data/
                close(lock);
                continue;
            }
            sweep(root, folder, uid);
            return new BundleCacheFolder(folder, lock);
        }
        return null;
    }

    /** The folder's lock, taken; null when a runtime holds it (or it cannot be taken). */
    private static FileChannel lock(Path folder) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (IOException | OverlappingFileLockException e) {
            // held in this JVM, or not a file we can lock
        }
        close(channel);
        return null;
    }

    private static void close(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing releases the lock; nothing else to do
        }
    }

    /** Deletes this user's folders in the root whose runtime is gone with its data folder (a kill -9, then rm). */
    private static void sweep(Path root, Path own, int uid) {
        try (var folders = Files.newDirectoryStream(root, PREFIX + "*-cache")) {
            for (Path folder : folders) {
                if (folder.equals(own) || !ours(folder, uid)) {
                    continue;
                }
                try {
                    Path owner = folder.resolve(OWNER);
                    Path data = Path.of(Files.readString(owner).trim());
                    boolean old = Files.getLastModifiedTime(owner, LinkOption.NOFOLLOW_LINKS).toInstant()
                            .isBefore(Instant.now().minus(SWEEP_AFTER));
                    if (data.isAbsolute() && !Files.exists(data) && old) {
                        FileChannel lock = lock(folder);
                        if (lock != null) { // no runtime holds it
                            deleteTree(folder);
                            close(lock);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // no owner file (being made this instant), or unreadable: left alone
                }
            }
        } catch (IOException e) {
            // the root cannot be listed: nothing to sweep
        }
    }

    /**
     * A root is usable when it is a folder with room that either this user alone may enter, or that is root's with
     * the sticky bit (where nobody can rename or delete another's folder).
     */
    private static boolean usable(Path root, int uid) {
        try {
            if (!Files.isDirectory(root) || Files.getFileStore(root).getUsableSpace() < MIN_FREE_BYTES) {
                return false;
            }
            int owner = (Integer) Files.getAttribute(root, "unix:uid");
            int mode = (Integer) Files.getAttribute(root, "unix:mode");
            boolean own = owner == uid && (mode & 077) == 0;
            boolean shared = owner == 0 && (mode & STICKY) != 0;
            return (own || shared) && Files.isWritable(root);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A folder left by an earlier start on this data folder: taken only when nobody else could have made it. */
    private static boolean ours(Path folder, int uid) {
        try {
            PosixFileAttributes a = Files.readAttributes(folder, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() && !a.isSymbolicLink() && a.permissions().equals(OWNER_ONLY)
                    && (Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes a tree (links are deleted, never followed); quiet when it or part of it is gone already. */
    static void deleteTree(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            System.err.println("harmonix: " + folder + " could not be deleted: " + e.getMessage());
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
