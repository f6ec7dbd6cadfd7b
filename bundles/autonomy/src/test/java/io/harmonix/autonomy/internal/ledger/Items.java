package io.harmonix.autonomy.internal.ledger;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** Backlog items and a clock for the ledger's tests. */
public final class Items {
    private Items() {
    }

    /** An open item of {@code repo} whose id is the seed's hash of {@code repo:type:title}. */
    public static BacklogItem item(String repo, ItemType type, String title, int priority, Risk risk) {
        Instant t = Instant.parse("2000-01-01T00:00:00Z"); // the ledger stamps its own times
        return new BacklogItem(BacklogItem.idOf(repo, type, title), repo, type, priority, risk, ItemStatus.OPEN,
                List.of("harmonix:task/" + repo + "/" + title.hashCode()), t, t, null, null, null, null);
    }

    /** A clock that moves only when told. */
    public static final class ManualClock extends Clock {
        private volatile Instant now;

        public ManualClock(String start) {
            now = Instant.parse(start);
        }

        public void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
