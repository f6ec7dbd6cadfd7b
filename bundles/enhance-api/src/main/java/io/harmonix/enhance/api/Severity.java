package io.harmonix.enhance.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much a finding matters, lowest first; written in lower case ({@code high}). */
public enum Severity {
    INFO("note"), LOW("note"), MEDIUM("warning"), HIGH("error"), CRITICAL("error");

    private final String sarifLevel;

    Severity(String sarifLevel) {
        this.sarifLevel = sarifLevel;
    }

    /** @return the SARIF 2.1.0 {@code level} this severity is reported as */
    public String sarifLevel() {
        return sarifLevel;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return true when this severity is {@code other} or above it */
    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    @JsonCreator
    public static Severity parse(String text) {
        return Names.parse(Severity.class, "severity", text);
    }

    /** Parsing of the lower-case enum names, with the one error message they share. */
    static final class Names {
        private Names() {
        }

        static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
            if (text != null) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().equalsIgnoreCase(text.trim())) {
                        return e;
                    }
                }
            }
            throw new IllegalArgumentException(what + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + "; was " + (text == null ? "nothing" : "'" + text + "'"));
        }
    }
}
