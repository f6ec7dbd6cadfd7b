package io.harmonix.autonomy.internal.ledger;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.LedgerProblem;
import io.harmonix.config.api.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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
 * person repairs it (or moves it away), and a copy of it is kept aside as {@code
 * backlog.json.corrupt-<time>-<sha256>}, once per distinct content, in case the repair goes wrong. The digest in the
 * name finds an earlier copy of the same content without reading any copy again.
 *
 * <p>A file larger than {@code maxFileBytes} is refused the same way before it is read (a multi-gigabyte file would
 * not fit in memory), and no copy is made of it.
 */
@Component(service = BacklogLedger.class, configurationPid = FileBacklogLedger.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileBacklogLedger.Config.class)
public final class FileBacklogLedger implements BacklogLedger {
    static final String PID = "io.harmonix.autonomy.ledger";
    /** 64 MiB: some hundred thousand items, far more than a backlog holds. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @ObjectClassDefinition(name = "Harmonix backlog ledger")
    @interface Config {
        @AttributeDefinition(description = "The largest ledger file read, in bytes; a larger one is refused (with "
                + "its size) and never written over.", min = "1")
        long maxFileBytes() default DEFAULT_MAX_FILE_BYTES;
    }

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final long maxFileBytes;

    @Activate
    public FileBacklogLedger(BundleContext context, Config config) {
        this(dataFolder(context).resolve("ledger").resolve("backlog.json"), Clock.systemUTC(), config.maxFileBytes());
    }

    /** The ledger of {@code file} (its folder is made at the first write), stamped by {@code clock}. */
    public FileBacklogLedger(Path file, Clock clock) {
        this(file, clock, DEFAULT_MAX_FILE_BYTES);
    }

    /** @param maxFileBytes the largest file read; a larger one is refused */
    public FileBacklogLedger(Path file, Clock clock, long maxFileBytes) {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes of " + PID + " must be at least 1, not " + maxFileBytes);
        }
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.clock = clock;
        this.maxFileBytes = maxFileBytes;
    }

    public static Path dataFolder(BundleContext context) {
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
        byte[] bytes;
        try {
            bytes = bytes();
        } catch (TooLarge e) {
            return List.of(new LedgerProblem("", 1, 1, e.problem));
        }
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

    /** A file over the limit: refused before it is read. */
    private static final class TooLarge extends IllegalStateException {
        private final String problem;

        TooLarge(Path file, String problem) {
            super("the backlog ledger " + file + " is refused, so it is not written until it is repaired: "
                    + problem);
            this.problem = problem;
        }
    }

    /** @return the largest file this ledger reads */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    private byte[] bytes() {
        try {
            return bounded(file, maxFileBytes);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("backlog ledger " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * @return the bytes of a ledger file
     * @throws IllegalStateException when it is larger than {@code maxFileBytes}, before it is read
     */
    public static byte[] bounded(Path file, long maxFileBytes) throws IOException {
        // One open file for the size and the read: a rename in between replaces the name, not what is read.
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            byte[] bytes = size > maxFileBytes ? null : Channels.newInputStream(in).readNBytes((int) Math.min(
                    maxFileBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes == null || bytes.length > maxFileBytes) { // grown while read, when written in place
                throw new TooLarge(file, Math.max(size, bytes == null ? 0 : bytes.length) + " bytes, over the "
                        + "limit of " + maxFileBytes + " (maxFileBytes of " + PID + "); no copy is kept aside");
            }
            return bytes;
        }
    }

    /** @return the copy of a corrupt file: the earlier one whose name has the same digest, else a new one */
    private Path keepAside(byte[] bytes) {
        String prefix = file.getFileName() + ".corrupt-";
        String suffix = "-" + sha256(bytes);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            Optional<Path> earlier = siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).findFirst();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Path copy = file.resolveSibling(prefix + STAMP.format(clock.instant()) + suffix);
            AtomicFiles.write(copy, bytes);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("the backlog ledger " + file + " is invalid, and a copy could not be "
                    + "kept aside: " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
