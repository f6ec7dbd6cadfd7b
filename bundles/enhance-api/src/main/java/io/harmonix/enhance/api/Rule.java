package io.harmonix.enhance.api;

import java.util.Objects;

/**
 * A rule an agent applies: what {@code enhance:rules} lists and what SARIF reports as a rule descriptor.
 *
 * @param id the rule id findings carry ({@code UnusedPrivateField}, {@code aws-access-token})
 * @param name a short name
 * @param description one sentence: what it finds
 * @param help why it matters and how to fix it
 * @param severity the severity its findings have unless configured otherwise
 */
public record Rule(String id, String name, String description, String help, Severity severity) {
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        name = name == null || name.isBlank() ? id : name;
        description = description == null ? "" : description;
        help = help == null ? "" : help;
    }
}
