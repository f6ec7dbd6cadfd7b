package io.harmonix.state.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.store.testing.DerbyFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedDataSourceTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void closeWaitsForOpenConnectionsAndRefusesNewOnes() throws Exception {
        try (DerbyFixture db = DerbyFixture.open(dir)) {
            GuardedDataSource guarded = new GuardedDataSource(db.dataSource());
            CountDownLatch open = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread user = new Thread(() -> {
                try (Connection c = guarded.getConnection()) {
                    open.countDown();
                    release.await();
                    c.isValid(1);
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            user.start();
            assertTrue(open.await(10, TimeUnit.SECONDS));
            assertFalse(guarded.close(0), "a connection is still open");
            assertThrows(SQLException.class, guarded::getConnection);
            release.countDown();
            user.join(10_000);
            assertTrue(guarded.close(5), "drained once the connection closed");
        }
    }
}
