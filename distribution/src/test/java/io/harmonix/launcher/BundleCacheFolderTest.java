package io.harmonix.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Constants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bundle cache goes: a memory root when one is usable and safe, never a folder somebody else made. */
class BundleCacheFolderTest {
    @TempDir
    Path dir;

    @Test
    void aFolderOfItsOwnInTheMemoryRootNamedAfterTheDataFolderOnlyItsOwnerMayEnter() throws Exception {
        Path root = Files.createDirectories(dir.resolve("shm"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path cache = BundleCacheFolder.inMemory(data, List.of(root));
        assertEquals(root, cache.getParent());
        assertTrue(cache.getFileName().toString().matches("harmonix-[0-9a-f]{16}-cache"), cache.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));

        Files.writeString(cache.resolve("bundle.id"), "75");
        assertEquals(cache, BundleCacheFolder.inMemory(data, List.of(root)), "the next start takes it again");
        Path link = Files.createSymbolicLink(dir.resolve("data-link"), data);
        assertEquals(cache, BundleCacheFolder.inMemory(link, List.of(root)), "named after the real path");
        Path other = Files.createDirectories(dir.resolve("other-data"));
        assertNotEquals(cache, BundleCacheFolder.inMemory(other, List.of(root)), "another data folder, another");
    }

    @Test
    void felixsCacheInsideItLeavesItOwnerOnlySoTheNextStartTakesItAgain() throws Exception {
        Path root = Files.createDirectories(dir.resolve("shm"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path folder = BundleCacheFolder.inMemory(data, List.of(root));
        for (int start = 0; start < 2; start++) {
            // Felix deletes its storage folder and makes it again, with the default mode, at every clean start
            Felix felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, folder.resolve("cache").toString(),
                    Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
            felix.start();
            felix.stop();
            felix.waitForStop(10_000);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            assertEquals(folder, BundleCacheFolder.inMemory(data, List.of(root)));
        }
    }

    @Test
    void aLinkPlantedUnderItsNameIsNeitherFollowedNorTaken() throws Exception {
        Path root = Files.createDirectories(dir.resolve("shm"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path name = BundleCacheFolder.inMemory(data, List.of(root));
        BundleCacheFolder.delete(name);
        Path elsewhere = Files.createDirectories(dir.resolve("planted"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(name, elsewhere);

        assertNull(BundleCacheFolder.inMemory(data, List.of(root)), "the data folder's cache/ instead");
        assertTrue(Files.isSymbolicLink(name));
        try (var left = Files.list(elsewhere)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void aFolderOthersMayEnterIsNotTakenAndTheNextRootIs() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shm"));
        Path own = Files.createDirectories(dir.resolve("run-user"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path name = BundleCacheFolder.inMemory(data, List.of(shared));
        Files.setPosixFilePermissions(name, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertNull(BundleCacheFolder.inMemory(data, List.of(shared)));
        Path missing = dir.resolve("no-such-root");
        assertEquals(own, BundleCacheFolder.inMemory(data, List.of(missing, shared, own)).getParent());
    }

    @Test
    void itNamesItsDataFolderAndAStartDeletesTheFoldersWhoseDataFolderIsGone() throws Exception {
        Path root = Files.createDirectories(dir.resolve("shm"));
        Path gone = Files.createDirectories(dir.resolve("gone-data"));
        Path kept = Files.createDirectories(dir.resolve("kept-data"));
        Path ofGone = BundleCacheFolder.inMemory(gone, List.of(root));
        Path ofKept = BundleCacheFolder.inMemory(kept, List.of(root));
        assertEquals(gone.toRealPath().toString(), Files.readString(ofGone.resolve(BundleCacheFolder.OWNER)));
        Files.createDirectories(ofGone.resolve("cache/bundle1")); // as a kill -9 leaves it
        Files.delete(gone);
        Path foreign = Files.createDirectories(root.resolve("harmonix-0000000000000000-cache"));
        Files.writeString(foreign.resolve(BundleCacheFolder.OWNER), dir.resolve("nowhere").toString());
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));

        BundleCacheFolder.inMemory(Files.createDirectories(dir.resolve("third")), List.of(root));
        assertFalse(Files.exists(ofGone), "its data folder is gone");
        assertTrue(Files.isDirectory(ofKept), "its data folder is there: the next start on it takes it");
        assertTrue(Files.isDirectory(foreign), "not ours to judge: others may enter it");
    }

    @Test
    void deletedWithWhatItHoldsButNothingALinkInItPointsTo() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path cache = BundleCacheFolder.inMemory(data, List.of(Files.createDirectories(dir.resolve("shm"))));
        Files.createDirectories(cache.resolve("bundle3/version0.0"));
        Files.writeString(cache.resolve("bundle3/version0.0/revision.location"), "reference:file:/x.jar");
        Path outside = Files.writeString(dir.resolve("keep.txt"), "kept");
        Files.createSymbolicLink(cache.resolve("bundle3/link"), outside);
        Files.createSymbolicLink(cache.resolve("dirlink"), data);

        BundleCacheFolder.delete(cache);
        assertFalse(Files.exists(cache, LinkOption.NOFOLLOW_LINKS));
        assertEquals("kept", Files.readString(outside));
        assertTrue(Files.isDirectory(data));
        BundleCacheFolder.delete(cache); // quiet when already gone
    }
}
