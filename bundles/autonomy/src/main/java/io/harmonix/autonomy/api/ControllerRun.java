package io.harmonix.autonomy.api;

import java.time.Instant;
import java.util.List;

/**
 * One controller run.
 *
 * @param id also the id of its workflow instance
 * @param trigger {@code schedule}, {@code event}, {@code command}; coalesced triggers are counted in {@code
 *     coalesced}
 * @param phase the phase it is in or ended in: SENSE, THINK, ACT, VERIFY, SHIP, LEARN
 * @param state {@code running}, {@code completed}, {@code failed}
 * @param refusals one line per change refused, with the reasons
 * @param document {@code data/runs/run-<id>.md} once LEARN wrote it, or null
 */
public record ControllerRun(String id, String trigger, Instant startedAt, Instant endedAt, String phase,
        String state, int coalesced, int signals, int itemsUpserted, int opened, int verified, int shipped,
        List<String> refusals, String document) {
    public ControllerRun {
        refusals = List.copyOf(refusals);
    }
}
