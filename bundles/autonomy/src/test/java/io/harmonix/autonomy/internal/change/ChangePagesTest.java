package io.harmonix.autonomy.internal.change;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of change requests is read as a page from Derby ({@code OFFSET .. FETCH NEXT}), newest first, with the
 * filters applied in the query: the console's changes page never reads every request with its items and checks.
 */
class ChangePagesTest {
    @TempDir
    Path dir;
    DerbyFixture db;
    ChangeStore store;

    @BeforeEach
    void open() throws Exception {
        db = DerbyFixture.open(dir, ChangeStore.COMPONENT, ChangeStore.MIGRATIONS);
        store = new ChangeStore(db.dataSource());
        for (int i = 1; i <= 30; i++) {
            String repo = i % 3 == 0 ? "web" : "shop";
            store.insert(repo, "harmonix/item-" + i, "g" + i, "fix", "change " + i, Risk.LOW,
                    i % 2 == 0 ? ChangeState.SHIPPED : ChangeState.OPEN, "base" + i, "head" + i, "run",
                    List.of(new ChangeStore.Item("item-" + i, "task", "item " + i, 0, null)));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<Long> ids(List<ChangeStore.Stored> s) {
        return s.stream().map(x -> x.request().id()).toList();
    }

    @Test
    void aPageIsTheNewestRequestsFromItsOffsetWithTheirItems() throws Exception {
        List<ChangeStore.Stored> all = store.list(null, null);
        List<ChangeStore.Stored> first = store.list(null, null, 0, 10);
        assertEquals(ids(all.subList(0, 10)), ids(first));
        assertEquals(30L, first.get(0).request().id(), "newest first");
        assertEquals(List.of("item-30"), first.get(0).request().itemIds(), "with its items");
        assertEquals(ids(all.subList(25, 30)), ids(store.list(null, null, 25, 10)), "the last page: what is left");
        assertEquals(List.of(), store.list(null, null, 30, 10), "beyond the end: nothing");
    }

    @Test
    void theFiltersApplyBeforeThePage() throws Exception {
        List<ChangeStore.Stored> shippedWeb = store.list(ChangeState.SHIPPED, "web");
        assertEquals(List.of(30L, 24L, 18L, 12L, 6L), ids(shippedWeb));
        assertEquals(List.of(24L, 18L), ids(store.list(ChangeState.SHIPPED, "web", 1, 2)));
        assertEquals(List.of(29L, 25L), ids(store.list(ChangeState.OPEN, "shop", 0, 2)));
    }
}
