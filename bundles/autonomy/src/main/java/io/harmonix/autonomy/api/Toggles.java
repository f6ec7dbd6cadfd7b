package io.harmonix.autonomy.api;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The break-glass toggles ({@code etc/io.harmonix.autonomy.cfg}; the seed's INFINITY_* names mapped) as in force,
 * and the time zone in which "today" is counted for the daily cap.
 *
 * @param enabled the master switch: off, a controller run records its signals and changes nothing
 * @param automergeEnabled off, nothing ships (changes are still opened and verified)
 * @param maxChangesPerDay shipped changes per day (counted from the decision records) at most
 * @param quarantineMode on, every change request is a draft that never ships
 * @param quarantineReason why quarantine is on (a person's reason, or the automatic one), or null
 */
public record Toggles(boolean enabled, boolean automergeEnabled, int maxChangesPerDay, boolean quarantineMode,
        String quarantineReason, ZoneId zone) {
    public Toggles {
        if (maxChangesPerDay < 0) {
            throw new IllegalArgumentException("maxChangesPerDay: expected 0 or more, got " + maxChangesPerDay);
        }
        Objects.requireNonNull(zone, "zone");
    }
}
