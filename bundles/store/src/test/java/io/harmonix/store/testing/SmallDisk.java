package io.harmonix.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test: a real file system that really fills up (ENOSPC), for the tests of what a full
 * disk does to the store, the journal and the index. Mounting needs root (or mount rights); where it is refused the
 * test fails with that reason (it is not skipped: a skip would prove nothing). Closing unmounts it, detaching it when something still holds a file there.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code at} (created when missing). */
    public static SmallDisk mount(Path at, int megabytes) throws Exception {
        Files.createDirectories(at);
        // a failure, not a skip: a skipped full-disk test would prove nothing (CI runs as root, as this machine)
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", at.toString()),
                "a tmpfs could not be mounted on " + at + " (not root, or no mount rights): this test needs a file "
                        + "system that really fills up");
        return new SmallDisk(at);
    }

    public Path root() {
        return root;
    }

    /** Writes {@code file} until the file system is full; returns having filled it. */
    public static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }

    @Override
    public void close() throws Exception {
        if (run("umount", root.toString()) != 0) {
            run("umount", "-l", root.toString()); // something still holds a file there: detach it anyway
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
