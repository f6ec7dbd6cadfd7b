package io.harmonix.waves.api;

import java.util.Locale;

/** Where a wave is. */
public enum WaveStatus {
    /** Its instances are being deployed; its run has not started yet. */
    DEPLOYING,
    /** Its run goes. */
    RUNNING,
    /** Every cycle of its run was done. */
    COMPLETED,
    /** Stopped on request ({@code wave:stop}) or by a restart that found it could not go on. */
    STOPPED,
    /** It could not be deployed, or its run failed. */
    FAILED;

    /** @return true when the wave will not go on: its instances are removed and its leases released */
    public boolean ended() {
        return this == COMPLETED || this == STOPPED || this == FAILED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
