package io.harmonix.autonomy.internal.controller;

import io.harmonix.autonomy.api.Toggles;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The break-glass toggles by their names in {@code etc/io.harmonix.autonomy.cfg} (the seed's {@code INFINITY_*}
 * variables mapped: {@code INFINITY_AUTONOMY_ENABLED} is {@code enabled}, {@code INFINITY_AUTOMERGE_ENABLED} is
 * {@code automergeEnabled}, {@code INFINITY_MAX_PRS_PER_DAY} is {@code maxChangesPerDay}, {@code
 * INFINITY_QUARANTINE_MODE} is {@code quarantineMode}), and the one check of a value given for one of them.
 */
final class ToggleSettings {
    static final String ENABLED = "enabled";
    static final String AUTOMERGE = "automergeEnabled";
    static final String MAX_PER_DAY = "maxChangesPerDay";
    static final String QUARANTINE = "quarantineMode";
    static final String QUARANTINE_REASON = "quarantineReason";
    static final String ZONE = "zone";
    /** The toggles, in the order their changes are recorded. */
    static final List<String> NAMES = List.of(ENABLED, AUTOMERGE, MAX_PER_DAY, QUARANTINE, ZONE);

    private ToggleSettings() {
    }

    /**
     * @return the configuration properties that set {@code name} to {@code value}
     * @throws IllegalArgumentException for an unknown name or a bad value, saying what was expected
     */
    static Map<String, Object> parse(String name, String value) {
        String v = value == null ? "" : value.trim();
        Map<String, Object> out = new LinkedHashMap<>();
        switch (name == null ? "" : name.trim()) {
            case ENABLED, AUTOMERGE, QUARANTINE -> out.put(name.trim(), bool(name.trim(), v));
            case MAX_PER_DAY -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw new IllegalArgumentException(MAX_PER_DAY + ": expected a whole number, 0 or more; was '"
                            + v + "'");
                }
                out.put(MAX_PER_DAY, n);
            }
            case ZONE -> {
                try {
                    out.put(ZONE, ZoneId.of(v).getId());
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(ZONE + ": expected a time zone such as UTC or Europe/Paris; "
                            + "was '" + v + "'");
                }
            }
            default -> throw new IllegalArgumentException("unknown toggle '" + name + "'; toggles: " + ENABLED + ", "
                    + AUTOMERGE + ", " + MAX_PER_DAY + ", " + QUARANTINE + ", " + ZONE);
        }
        return out;
    }

    private static boolean bool(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException(name + ": expected true or false (on/off); was '" + v
                    + "'");
        };
    }

    /** @return the toggle's value in {@code t}, as text */
    static String valueOf(Toggles t, String name) {
        return switch (name) {
            case ENABLED -> String.valueOf(t.enabled());
            case AUTOMERGE -> String.valueOf(t.automergeEnabled());
            case MAX_PER_DAY -> String.valueOf(t.maxChangesPerDay());
            case QUARANTINE -> String.valueOf(t.quarantineMode());
            case ZONE -> t.zone().getId();
            default -> "";
        };
    }

    /** @return {@code t} with the properties applied */
    static Toggles apply(Toggles t, Map<String, Object> changes) {
        return new Toggles((Boolean) changes.getOrDefault(ENABLED, t.enabled()),
                (Boolean) changes.getOrDefault(AUTOMERGE, t.automergeEnabled()),
                (Integer) changes.getOrDefault(MAX_PER_DAY, t.maxChangesPerDay()),
                (Boolean) changes.getOrDefault(QUARANTINE, t.quarantineMode()),
                changes.containsKey(QUARANTINE_REASON) ? blankToNull((String) changes.get(QUARANTINE_REASON))
                        : t.quarantineReason(),
                changes.containsKey(ZONE) ? ZoneId.of((String) changes.get(ZONE)) : t.zone());
    }

    /** @return the toggles as {@code name=value;...}, what the store keeps of the toggles last applied */
    static String encode(Toggles t) {
        StringBuilder v = new StringBuilder();
        for (String n : NAMES) {
            v.append(v.length() == 0 ? "" : ";").append(n).append('=').append(valueOf(t, n));
        }
        return v.toString();
    }

    /** @return {@code base} with the toggles of an {@link #encode}d text */
    static Toggles decode(String text, Toggles base) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kv : text.split(";")) {
            int eq = kv.indexOf('=');
            m.putAll(parse(kv.substring(0, eq), kv.substring(eq + 1)));
        }
        return apply(base, m);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
