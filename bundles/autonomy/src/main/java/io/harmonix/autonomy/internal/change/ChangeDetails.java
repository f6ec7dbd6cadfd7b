package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeRequests;
import java.util.List;

/**
 * The change requests with what {@code change:show} shows beyond the API's {@link
 * io.harmonix.autonomy.api.ChangeRequest}: each required check of the last verification (a missing one has no
 * record) and why the request stands where it does. A service of this bundle only (its package is private).
 */
public interface ChangeDetails extends ChangeRequests {
    /**
     * @param name the required check
     * @param commit the SHA it was to run on
     * @param checkId its record in the fleet's check history, or null when it never ran (missing)
     * @param green true only when it ran to exit 0 on {@code commit}
     * @param detail how it ended
     */
    record CheckLine(String name, String commit, Long checkId, boolean green, String detail) {
    }

    List<CheckLine> checks(long id);

    /** @return why the request stands where it does (red checks, refusal reasons, the shipped commit), or "" */
    String note(long id);
}
