package io.harmonix.index.testing;

import io.harmonix.cycle.api.CycleRecorder;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.CycleIndexListener;
import io.harmonix.index.internal.IndexService;
import io.harmonix.index.internal.IndexSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * For the tests of the bundles that read or feed the index: the real index of a folder, as the index bundle
 * publishes it ({@link CycleIndex}, and the runner's {@link CycleRecorder}), without a framework. Opened with the
 * settings of a runtime whose configuration is empty: namespace {@code local}, {@code sync=group}, 8 MiB segments,
 * no retention. Close it to close its logs; opening the folder again recovers what was written. Shipped in the
 * index module's test jar, so that those tests never construct the index's internal classes themselves.
 */
public final class IndexFixture implements AutoCloseable {
    private final IndexService index;

    private IndexFixture(IndexService index) {
        this.index = index;
    }

    /**
     * @param folder the index's folder ({@code data/index} of a runtime)
     * @param report where recovery findings go (the index bundle logs them as warnings)
     */
    public static IndexFixture open(Path folder, Consumer<String> report) throws IOException {
        return new IndexFixture(new IndexService(folder, new IndexSettings("local", 8L << 20,
                IndexSettings.Sync.GROUP, Duration.ZERO, IndexSettings.Retention.NONE, Map.of()), report));
    }

    public CycleIndex index() {
        return index;
    }

    /** The recorder of the local namespace, as the runner finds it. */
    public CycleRecorder recorder() {
        return index;
    }

    /** Tells {@code listener} of every durable append, as the index's whiteboard does. */
    public void onAppended(CycleIndexListener listener) {
        index.onAppended(listener::appended);
    }

    @Override
    public void close() throws IOException {
        index.close();
    }
}
