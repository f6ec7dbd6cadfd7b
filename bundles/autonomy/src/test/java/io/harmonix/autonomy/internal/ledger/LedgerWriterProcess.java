package io.harmonix.autonomy.internal.ledger;

import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A second process writing to a ledger, for {@link ConcurrentWritersTest}: {@code FILE PREFIX COUNT} upserts COUNT
 * items titled PREFIX-n, then updates each once more, and prints "done".
 */
public final class LedgerWriterProcess {
    private LedgerWriterProcess() {
    }

    public static void main(String[] args) {
        FileBacklogLedger ledger = new FileBacklogLedger(Path.of(args[0]), Clock.systemUTC());
        int count = Integer.parseInt(args[2]);
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n < count; n++) {
                ledger.upsert(Items.item("other-process", ItemType.CHORE, args[1] + "-" + n, 1 + round * 2,
                        Risk.LOW));
            }
        }
        System.out.println("done");
    }
}
