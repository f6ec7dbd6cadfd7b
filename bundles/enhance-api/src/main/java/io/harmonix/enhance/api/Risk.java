package io.harmonix.enhance.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The risk of acting on a finding (of applying its fix), which later decides what may be shipped without a person:
 * low and medium changes may be automated, high and critical ones wait for review.
 */
public enum Risk {
    LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values when {@code text} is none of them */
    @JsonCreator
    public static Risk parse(String text) {
        return Severity.Names.parse(Risk.class, "risk", text);
    }
}
