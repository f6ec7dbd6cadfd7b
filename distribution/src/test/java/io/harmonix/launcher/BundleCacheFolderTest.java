package io.harmonix.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/** Where the bundle cache goes: a memory root when one is usable and safe, never a folder somebody else made. */
class BundleCacheFolderTest {
    @TempDir
    Path dir;

    private Integer uid;
    private Path root;

    @BeforeEach
    void root() throws Exception {
        uid = BundleCacheFolder.processUid();
        assertNotNull(uid, "a Unix: the JDK tells the user id");
        root = owned(dir.resolve("shm"), "rwx------");
    }

    @Test
    void aFolderOfItsOwnInTheMemoryRootNamedAfterTheDataFolderOnlyItsOwnerMayEnter() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder first = inMemory(data);
        Path cache = first.path();
        assertEquals(root, cache.getParent());
        assertTrue(cache.getFileName().toString().matches("harmonix-[0-9a-f]{16}-cache"), cache.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        assertEquals(data.toRealPath().toString(), Files.readString(cache.resolve(BundleCacheFolder.OWNER)));
        assertNull(inMemory(data), "held by a running runtime (another namespace, the same path): not shared");

        first.abandon();
        BundleCacheFolder next = inMemory(data);
        assertEquals(cache, next.path(), "the next start after a kill takes it again");
        next.abandon();
        Path link = Files.createSymbolicLink(dir.resolve("data-link"), data);
        assertEquals(cache, inMemory(link).path(), "named after the real path");
        assertNotEquals(cache, inMemory(Files.createDirectories(dir.resolve("other-data"))).path());
        assertNull(BundleCacheFolder.inMemory(data, List.of(root), null), "no user id known: the data folder");
    }

    @Test
    void aFolderOfAnotherUserIsNotTakenEvenOwnerOnly() throws Exception {
        // Only root gives a folder to another user and makes a sticky root of root's own. The build runs as root (CI,
        // this machine); elsewhere this test fails saying why rather than skip and prove nothing (as GitTest does).
        assertEquals(0, uid, "this test gives a folder to another user: run as root");
        Path shared = owned(dir.resolve("shared"), "rwxrwxrwx");
        Files.setAttribute(shared, "unix:mode", 01777);
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder mine = BundleCacheFolder.inMemory(data, List.of(shared), uid);
        assertNotNull(mine, "root's with the sticky bit: /dev/shm's case");
        mine.abandon();
        Files.setAttribute(mine.path(), "unix:uid", 65534);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine.path())));
        assertNull(BundleCacheFolder.inMemory(data, List.of(shared), uid), "owner-only, but another user's");
    }

    @Test
    void felixsCacheInsideItLeavesItOwnerOnlySoTheNextStartTakesItAgain() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder current = inMemory(data);
        Path folder = current.path();
        for (int start = 0; start < 2; start++) {
            // Felix deletes its storage folder and makes it again, with the default mode, at every clean start
            Felix felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE,
                    folder.resolve(BundleCacheFolder.CACHE).toString(),
                    Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
            felix.start();
            felix.stop();
            felix.waitForStop(10_000);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            current.abandon();
            current = inMemory(data);
            assertEquals(folder, current.path());
        }
    }

    @Test
    void aLinkPlantedUnderItsNameIsNeitherFollowedNorTaken() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder made = inMemory(data);
        made.delete();
        Path elsewhere = owned(dir.resolve("planted"), "rwx------");
        Files.createSymbolicLink(made.path(), elsewhere);

        assertNull(inMemory(data), "the data folder's cache/ instead");
        assertTrue(Files.isSymbolicLink(made.path()));
        try (var left = Files.list(elsewhere)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void linksInItsOwnFolderAreNeverWrittenThroughNorEmptied() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder killed = inMemory(data);
        killed.abandon();
        Path folder = killed.path();
        Path victimFile = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Path victimDir = Files.createDirectories(dir.resolve("victim-dir"));
        Files.writeString(victimDir.resolve("kept.txt"), "kept");
        Files.delete(folder.resolve(BundleCacheFolder.OWNER));
        Files.createSymbolicLink(folder.resolve(BundleCacheFolder.OWNER), victimFile);
        Files.createSymbolicLink(folder.resolve(BundleCacheFolder.CACHE), victimDir);

        assertEquals(folder, inMemory(data).path());
        assertEquals("untouched", Files.readString(victimFile));
        assertEquals("kept", Files.readString(victimDir.resolve("kept.txt")));
        assertFalse(Files.isSymbolicLink(folder.resolve(BundleCacheFolder.OWNER)));
        assertFalse(Files.exists(folder.resolve(BundleCacheFolder.CACHE), LinkOption.NOFOLLOW_LINKS),
                "Felix makes its cache anew: its own clean would have followed the link");
    }

    @Test
    void aFolderWhoseOwnFilesCannotBeWrittenIsLeftForTheNextRootOrTheDataFolder() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder killed = inMemory(data);
        killed.abandon();
        // as a full disk would: the owner file cannot be written (here a folder with something in it stands there)
        Files.delete(killed.path().resolve(BundleCacheFolder.OWNER));
        Files.createDirectories(killed.path().resolve(BundleCacheFolder.OWNER).resolve("in-the-way"));

        assertNull(inMemory(data), "the start goes on with DATA/cache");
        assertFalse(Files.exists(killed.path(), LinkOption.NOFOLLOW_LINKS), "nothing left behind");
    }

    @Test
    void aFolderOthersMayEnterIsNotTakenAndTheNextRootIs() throws Exception {
        Path own = owned(dir.resolve("run-user"), "rwx------");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path name = inMemory(data).path();
        Files.setPosixFilePermissions(name, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertNull(inMemory(data));
        Path missing = dir.resolve("no-such-root");
        assertEquals(own, BundleCacheFolder.inMemory(data, List.of(missing, root, own), uid).path().getParent());
    }

    @Test
    void aRootOthersMayWriteInWithoutTheStickyBitIsNotUsed() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path open = owned(dir.resolve("open"), "rwxrwxrwx");
        assertNull(BundleCacheFolder.inMemory(data, List.of(open), uid), "others could swap folders in it");
        Path groupWritable = owned(dir.resolve("group"), "rwxrwx---");
        assertNull(BundleCacheFolder.inMemory(data, List.of(groupWritable), uid == 0 ? 1 : uid));
    }

    @Test
    void aStartDeletesTheFoldersWhoseDataFolderIsGoneUnlessRecentOrStillInUse() throws Exception {
        Path gone = Files.createDirectories(dir.resolve("gone-data"));
        Path goneButRecent = Files.createDirectories(dir.resolve("gone-recent-data"));
        Path goneButRunning = Files.createDirectories(dir.resolve("gone-running-data"));
        Path kept = Files.createDirectories(dir.resolve("kept-data"));
        Path ofGone = leftByAKill(gone, true);
        Path ofRecent = leftByAKill(goneButRecent, false);
        BundleCacheFolder running = inMemory(goneButRunning); // its runtime runs where its data folder is seen
        Files.setLastModifiedTime(running.path().resolve(BundleCacheFolder.OWNER),
                FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        Path ofKept = leftByAKill(kept, true);
        Path foreign = owned(root.resolve("harmonix-0000000000000000-cache"), "rwxr-xr-x");
        Files.writeString(foreign.resolve(BundleCacheFolder.OWNER), dir.resolve("nowhere").toString());
        Files.setLastModifiedTime(foreign.resolve(BundleCacheFolder.OWNER), FileTime.from(Instant.EPOCH));
        Files.delete(gone);
        Files.delete(goneButRecent);
        Files.delete(goneButRunning);

        inMemory(Files.createDirectories(dir.resolve("third")));
        assertFalse(Files.exists(ofGone), "its data folder is gone");
        assertTrue(Files.isDirectory(ofRecent), "named under a minute ago: its runtime may be starting elsewhere");
        assertTrue(Files.isDirectory(running.path()), "its lock is held: its runtime runs");
        assertTrue(Files.isDirectory(ofKept), "its data folder is there: the next start on it takes it");
        assertTrue(Files.isDirectory(foreign), "not ours to judge: others may enter it");
    }

    @Test
    void deletedOnceWithWhatItHoldsButNothingALinkInItPointsTo() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        BundleCacheFolder made = inMemory(data);
        Path cache = made.path();
        for (int i = 0; i < 200; i++) {
            Files.createDirectories(cache.resolve("cache/bundle" + i + "/version0.0"));
            Files.writeString(cache.resolve("cache/bundle" + i + "/version0.0/revision.location"), "reference:x");
        }
        Path outside = Files.writeString(dir.resolve("keep.txt"), "kept");
        Files.createSymbolicLink(cache.resolve("cache/bundle3/link"), outside);
        Files.createSymbolicLink(cache.resolve("dirlink"), data);

        // the shutdown hook and the main thread both delete it at a SIGTERM
        Thread hook = new Thread(made::delete);
        hook.start();
        made.delete();
        hook.join();
        assertFalse(Files.exists(cache, LinkOption.NOFOLLOW_LINKS));
        assertEquals("kept", Files.readString(outside));
        assertTrue(Files.isDirectory(data));
        made.delete(); // once
    }

    @Test
    void twoDeletionsOfOneTreeAtOnceBothEndQuietlyWithItGone() throws Exception {
        Path tree = dir.resolve("tree");
        for (int i = 0; i < 300; i++) {
            Files.createDirectories(tree.resolve("b" + i + "/v"));
            Files.writeString(tree.resolve("b" + i + "/v/f"), "x");
        }
        Thread other = new Thread(() -> BundleCacheFolder.deleteTree(tree));
        other.start();
        BundleCacheFolder.deleteTree(tree);
        other.join();
        assertFalse(Files.exists(tree));
    }

    private BundleCacheFolder inMemory(Path data) throws Exception {
        return BundleCacheFolder.inMemory(data, List.of(root), uid);
    }

    /** The folder of a runtime killed on this data folder, named long ago or just now. */
    private Path leftByAKill(Path data, boolean longAgo) throws Exception {
        BundleCacheFolder killed = inMemory(data);
        killed.abandon();
        Path folder = killed.path();
        if (longAgo) {
            Files.setLastModifiedTime(folder.resolve(BundleCacheFolder.OWNER),
                    FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        }
        return folder;
    }

    private static Path owned(Path folder, String permissions) throws Exception {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(permissions));
        return folder;
    }
}
