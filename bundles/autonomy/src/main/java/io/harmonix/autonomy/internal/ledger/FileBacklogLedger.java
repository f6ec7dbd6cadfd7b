package io.harmonix.autonomy.internal.ledger;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.config.api.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The backlog ledger in {@code data/ledger/backlog.json} ({@link LedgerDocument}). Every write reads the file again,
 * changes it and writes it whole and atomically ({@link AtomicFiles}) while holding two locks: one per file in this
 * JVM (a {@link FileLock} is held by the process, so threads must take turns before it) and a {@link FileLock} on
 * {@code backlog.json.lock} beside it, which another process (a second runtime on the same data, a person's tool)
 * takes too. Readers take no lock: a rename replaces the file whole.
 *
 * <p>The ledger stamps its times (the seed's "first upsert" and "last upsert"): an upsert that inserts sets {@code
 * created_at} and {@code updated_at} to now; one that updates keeps {@code created_at} and sets {@code updated_at}
 * to now; the times an item is given are not used.
 *
 * <p>A file that does not validate is never written over: reads and writes are refused with its first problem until a
 * person repairs it (or moves it away), and a copy of it is kept aside as {@code backlog.json.corrupt-<time>}, once
 * per distinct content, in case the repair goes wrong.
 */
@Component(service = BacklogLedger.class)
public final class FileBacklogLedger implements BacklogLedger {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Path lockFile;
    private final Clock clock;

    @Activate
    public FileBacklogLedger(BundleContext context) {
        this(dataFolder(context).resolve("ledger").resolve("backlog.json"), Clock.systemUTC());
    }

    /** The ledger of {@code file} (its folder is made at the first write), stamped by {@code clock}. */
    public FileBacklogLedger(Path file, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.clock = clock;
    }

    static Path dataFolder(BundleContext context) {
        String data = context.getProperty("harmonix.data");
        if (data != null) {
            return Path.of(data);
        }
        String home = context.getProperty("harmonix.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize().resolve("data");
    }

    @Override
    public Path path() {
        return file;
    }

    @Override
    public List<BacklogItem> items() {
        return current();
    }

    @Override
    public Optional<BacklogItem> item(String id) {
        return current().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Override
    public BacklogItem upsert(BacklogItem item) {
        return change(item.id(), old -> {
            Instant now = clock.instant();
            return new BacklogItem(item.id(), item.repo(), item.type(), item.priority(), item.risk(), item.status(),
                    item.evidenceLinks(), old == null ? now : old.createdAt(), now, item.policyDecisionRef(),
                    item.runId(), item.workflow(), item.commitSha());
        });
    }

    @Override
    public BacklogItem setStatus(String id, ItemStatus status, String policyDecisionRef, String runId) {
        return change(id, old -> {
            if (old == null) {
                throw new NoSuchElementException("no backlog item '" + id + "' in " + file);
            }
            return old.withStatus(status, clock.instant(), policyDecisionRef, runId);
        });
    }

    @Override
    public List<LedgerProblem> validate() {
        byte[] bytes = bytes();
        return bytes == null ? List.of() : LedgerDocument.read(bytes).problems();
    }

    /**
     * Under both locks: reads the file, replaces (or adds) the item of {@code id} by what {@code next} makes of the
     * one there (null when none), checks it, writes the file.
     */
    private BacklogItem change(String id, UnaryOperator<BacklogItem> next) {
        ReentrantLock threads = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        threads.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock processes = channel.lock()) {
                List<BacklogItem> items = new ArrayList<>(current());
                int at = -1;
                for (int i = 0; i < items.size() && at < 0; i++) {
                    at = items.get(i).id().equals(id) ? i : -1;
                }
                BacklogItem written = next.apply(at < 0 ? null : items.get(at));
                List<String> wrong = LedgerDocument.check(written);
                if (!wrong.isEmpty()) {
                    throw new IllegalArgumentException("backlog item " + id + " not written: "
                            + String.join("; ", wrong));
                }
                if (at < 0) {
                    items.add(written);
                } else {
                    items.set(at, written);
                }
                AtomicFiles.write(file, LedgerDocument.write(items));
                return written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("backlog ledger " + file + " could not be written: " + e.getMessage(), e);
        } finally {
            threads.unlock();
        }
    }

    /** @return the items on disk, or refuses (a copy of the file kept aside) when it does not validate */
    private List<BacklogItem> current() {
        byte[] bytes = bytes();
        if (bytes == null) {
            return List.of();
        }
        LedgerDocument.Read read = LedgerDocument.read(bytes);
        if (read.valid()) {
            return read.items();
        }
        Path copy = keepAside(bytes);
        LedgerProblem first = read.problems().get(0);
        throw new IllegalStateException("the backlog ledger " + file + " is invalid, so it is not written until it is "
                + "repaired (ledger:validate lists every problem; a copy is kept at " + copy.getFileName() + "): "
                + file.getFileName() + ":" + first + (read.problems().size() > 1 ? " (and "
                + (read.problems().size() - 1) + " more)" : ""));
    }

    private byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("backlog ledger " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    /** @return the copy of a corrupt file: an earlier copy of the same bytes, else a new one */
    private Path keepAside(byte[] bytes) {
        String prefix = file.getFileName() + ".corrupt-";
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                if (Files.size(p) == bytes.length && Arrays.equals(Files.readAllBytes(p), bytes)) {
                    return p;
                }
            }
            Path copy = file.resolveSibling(prefix + STAMP.format(clock.instant()));
            AtomicFiles.write(copy, bytes);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("the backlog ledger " + file + " is invalid, and a copy could not be "
                    + "kept aside: " + e.getMessage(), e);
        }
    }
}
