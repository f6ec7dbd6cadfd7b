package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.Toggles;
import io.harmonix.config.api.CronSchedule;
import io.harmonix.config.api.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every setting of {@code etc/io.harmonix.autonomy.cfg}, each checked: made whole or not at all, so that an edit with
 * one bad value changes nothing (before, the values read before the bad one were in force, the others not: a
 * {@code quarantineAfterFailures = 0} next to a bad {@code zone} turned the automatic quarantine off).
 *
 * @param schedule null: no scheduled runs
 */
record ControllerSettings(ScoringRules rules, List<String> scanTypes, Duration scanTimeout, Duration healthWindow,
        Toggles toggles, CronSchedule schedule, int quarantineAfterFailures) {
    private static final String PID = AutonomyControllerComponent.PID;

    /**
     * The defaults, with automerge off: what the controller runs with when its file is bad at start, so that its
     * commands stay to repair it and nothing ships by settings nobody chose.
     */
    static ControllerSettings fallback() {
        return new ControllerSettings(new ScoringRules(ScoringRules.DEFAULTS), List.of("security", "quality"),
                Duration.ofMinutes(15), Duration.ofDays(7), new Toggles(true, false, 10, false, null,
                        ZoneId.of("UTC")), CronSchedule.parse("0 */6 * * *"), 3);
    }

    /**
     * @throws IllegalArgumentException naming each bad field, what was expected and what it was, one a line
     */
    static ControllerSettings parse(AutonomyControllerComponent.Config c) {
        List<String> problems = new ArrayList<>();
        ScoringRules rules = checked(problems, null, () -> new ScoringRules(c.scoringRules().length == 0
                ? ScoringRules.DEFAULTS : Arrays.asList(c.scoringRules())));
        List<String> scanTypes = Arrays.stream(c.scanAgents().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        Duration scanTimeout = checked(problems, "scanTimeout", () -> Durations.parse(c.scanTimeout()));
        Duration healthWindow = checked(problems, "healthWindow", () -> Durations.parse(c.healthWindow()));
        ZoneId zone = null;
        try {
            zone = ZoneId.of(c.zone().isBlank() ? "UTC" : c.zone().trim());
        } catch (DateTimeException e) {
            problems.add(PID + ": zone: expected a time zone such as UTC or Europe/Paris; was '" + c.zone() + "'");
        }
        Integer perDay = number(problems, "maxChangesPerDay", "0 or more", c::maxChangesPerDay);
        Integer afterFailures = number(problems, "quarantineAfterFailures", "0 (never) or more",
                c::quarantineAfterFailures);
        CronSchedule schedule = checked(problems, "schedule", () -> c.schedule() == null || c.schedule().isBlank()
                ? null : CronSchedule.parse(c.schedule()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ControllerSettings(rules, scanTypes, scanTimeout, healthWindow, new Toggles(c.enabled(),
                c.automergeEnabled(), perDay, c.quarantineMode(), ToggleSettings.blankToNull(c.quarantineReason()),
                zone), schedule, afterFailures);
    }

    /**
     * @return a whole number of 0 or more, or null with the problem added. Declarative Services converts the file's
     *     text when the value is read: text that is no number fails there, with its own exception.
     */
    private static Integer number(List<String> problems, String field, String expected, Supplier<Integer> value) {
        int n;
        try {
            n = value.get();
        } catch (RuntimeException e) {
            problems.add(PID + ": " + field + ": expected a whole number, " + expected + " (" + e.getMessage() + ")");
            return null;
        }
        if (n < 0) {
            problems.add(PID + ": " + field + ": expected " + expected + "; was " + n);
            return null;
        }
        return n;
    }

    /** @return the value, or null with the problem added ({@code field}: its message; null: the message names it) */
    private static <T> T checked(List<String> problems, String field, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            problems.add(PID + ": " + (field == null ? "" : field + ": ") + e.getMessage());
            return null;
        }
    }
}
