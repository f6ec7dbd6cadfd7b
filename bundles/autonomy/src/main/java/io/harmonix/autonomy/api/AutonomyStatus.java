package io.harmonix.autonomy.api;

import java.util.List;
import java.util.Map;

/**
 * What {@code autonomy:status} shows.
 *
 * @param shippedToday changes shipped today in the toggles' zone
 * @param consecutiveFailures failed verifications or rolled-back changes in a row (quarantine comes at the limit)
 * @param items backlog items per status
 */
public record AutonomyStatus(Toggles toggles, int shippedToday, int consecutiveFailures,
        List<ControllerRun> lastRuns, Map<ItemStatus, Integer> items) {
    public AutonomyStatus {
        lastRuns = List.copyOf(lastRuns);
        items = Map.copyOf(items);
    }
}
