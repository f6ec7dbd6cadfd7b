package io.harmonix.index.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real index of one test, on {@code index} in the test's folder: opened and reopened (as a restarted runtime
 * does) with the test's settings, its recovery reports kept in order, closed after the test. Register it with
 * {@code @RegisterExtension}.
 */
final class ReopenableIndex implements AfterEachCallback {
    private final Supplier<Path> folder;
    private final IndexSettings settings;
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private IndexService index;

    /**
     * @param folder the test's folder (its {@code @TempDir}), asked for at each open
     * @param settings what {@link #open()} opens the index with
     */
    ReopenableIndex(Supplier<Path> folder, IndexSettings settings) {
        this.folder = folder;
        this.settings = settings;
    }

    /**
     * @return the settings of a small test index: namespace {@code local}, 4 KiB segments (a few dozen cycles fill
     *     several), group sync after {@code groupDelay}, {@code retention} for every namespace
     */
    static IndexSettings small(Duration groupDelay, IndexSettings.Retention retention) {
        return new IndexSettings("local", 4096, IndexSettings.Sync.GROUP, groupDelay, retention, Map.of());
    }

    /** @return {@link #small(Duration, IndexSettings.Retention)} with a group delay of 1 ms */
    static IndexSettings small(IndexSettings.Retention retention) {
        return small(Duration.ofMillis(1), retention);
    }

    /** Closes the open index, if any, and opens the folder's again with the test's settings. */
    IndexService open() throws IOException {
        return open(settings);
    }

    /** Closes the open index, if any, and opens the folder's again with {@code settings}. */
    IndexService open(IndexSettings settings) throws IOException {
        close();
        index = new IndexService(folder.get().resolve("index"), settings, reports::add);
        return index;
    }

    /** @return the index opened last */
    IndexService get() {
        if (index == null) {
            throw new IllegalStateException("the index is not open");
        }
        return index;
    }

    /** What the opens so far reported (recovery findings), oldest first; the test may clear it. */
    List<String> reports() {
        return reports;
    }

    /** Closes the open index, as a stopped runtime does; the next {@link #open()} reads what it left. */
    void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }
}
