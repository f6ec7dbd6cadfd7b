package io.harmonix.enhance.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A finding compared with the agent's previous cycle on the same target. */
public enum FindingStatus {
    /** Not seen in the previous cycle. */
    NEW,
    /** Seen in the previous cycle too. */
    PERSISTING,
    /** Seen in the previous cycle, gone now. */
    FIXED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values when {@code text} is none of them */
    @JsonCreator
    public static FindingStatus parse(String text) {
        return Severity.Names.parse(FindingStatus.class, "status", text);
    }
}
