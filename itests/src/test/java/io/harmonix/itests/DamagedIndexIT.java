package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runtime with a byte flipped in a closed segment of its index: it still starts, with its index:
 * index:verify names the damage, and after index:repair --truncate a new run's cycle:run --wait completes (it would
 * wait forever for a recorder when the index bundle could not start).
 */
class DamagedIndexIT {
    @TempDir
    Path dir;

    @Test
    void aRuntimeWithAFlippedByteInAClosedSegmentStartsReportsItAndRunsAfterRepair() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        // small segments, so that a few cycles close some
        Path cfg = runtime.home.resolve("etc/io.harmonix.index.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("segmentBytes = 8388608", "segmentBytes = 4096"));
        Path data = dir.resolve("data");
        PackagedRuntime.Result first = runtime.exec("cycle:run --id k --agents files --cycles 30 --interval 0ms "
                + "--wait", "--data", data.toString());
        assertEquals(0, first.exit(), first.toString());
        Path segments = data.resolve("index/local/segments");
        List<Path> files;
        try (var l = Files.list(segments)) {
            files = l.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        assertTrue(files.size() >= 2, "closed segments: " + files);
        Path closed = files.get(0);
        byte[] all = Files.readAllBytes(closed);
        long second = 8 + ByteBuffer.wrap(all, 0, 4).getInt(); // record 1, cycle k:2
        try (RandomAccessFile f = new RandomAccessFile(closed.toFile(), "rw")) {
            f.seek(second + 60);
            int b = f.read();
            f.seek(second + 60);
            f.write(b ^ 0x10);
        }

        PackagedRuntime.Result verified = runtime.exec("index:stats; index:verify", "--data", data.toString());
        assertEquals(1, verified.exit(), "verify fails, the index answers: " + verified);
        assertTrue(verified.out().contains("local: BAD") && verified.out().contains("record 1 (cycle k:2")
                && verified.out().contains("in segment " + closed.getFileName() + " at offset " + second
                + " fails its CRC32C"), verified.toString());
        assertTrue(verified.out().contains("TREE-SIZE"), "index:stats answered: " + verified);

        PackagedRuntime.Result repaired = runtime.exec("index:repair local --truncate; cycle:run --id n --agents "
                + "files --cycles 3 --interval 0ms --wait; index:verify; index:list", "--data", data.toString());
        assertEquals(0, repaired.exit(), repaired.toString());
        assertTrue(repaired.out().contains("repaired: cut the log before record 1"), repaired.toString());
        assertTrue(repaired.out().contains("local: ok, "), repaired.toString());
        // what is indexed after the cut: k:1 (before the damage), the new run's cycles, and, handed back by the
        // runner at its first run (it gives the index the last committed cycles of every run, as at any start),
        // run k's last ones; never the damaged record k:2
        List<String> ids = repaired.out().lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length > 1 && f[0].matches("\\d+")).map(f -> f[1]).toList();
        assertTrue(ids.containsAll(List.of("k:1", "n:1", "n:2", "n:3")), ids + "\n" + repaired);
        assertFalse(ids.contains("k:2"), "the damaged record stays cut: " + ids);
        assertTrue(Files.exists(data.resolve("index/local/damaged")), "the cut segments are kept");
    }
}
