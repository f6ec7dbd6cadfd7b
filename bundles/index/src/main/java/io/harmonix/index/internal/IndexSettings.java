package io.harmonix.index.internal;

import io.harmonix.config.api.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the index (PID {@value #PID}), checked: every wrong value is named with what was expected.
 *
 * @param namespace this runtime's namespace
 * @param segmentBytes a segment is closed (and a new one begun) past this size
 * @param sync when appends are forced to the disk
 * @param groupDelay with {@link Sync#GROUP}, how long the writer waits to gather more appends into one sync; 0
 *     (the default) takes what arrived while the previous sync ran, which groups concurrent appends without
 *     delaying a lone one
 * @param retention default retention of every namespace
 * @param perNamespace retention of named namespaces ({@code retention.<ns>.maxAge} and so on)
 */
public record IndexSettings(String namespace, long segmentBytes, Sync sync, Duration groupDelay, Retention retention,
        Map<String, Retention> perNamespace) {
    public static final String PID = "io.harmonix.index";

    /** When appends reach the disk. */
    public enum Sync {
        /** Every append request is forced before it returns. */
        ALWAYS,
        /** Appends that arrive together (within the group delay) share one force. */
        GROUP,
        /** Never forced by the index (the OS writes back when it likes): fast, loses a tail on power loss. */
        NONE
    }

    /**
     * Retention of one namespace; 0 or null means no limit.
     *
     * @param maxAge records older than this go (whole closed segments whose newest record is older)
     * @param maxBytes the oldest closed segments go while the namespace is bigger
     * @param maxPerRun a closed segment goes when each of its records has this many newer records of its run
     */
    public record Retention(Duration maxAge, long maxBytes, long maxPerRun) {
        public static final Retention NONE = new Retention(null, 0, 0);
    }

    public static final IndexSettings DEFAULTS = new IndexSettings("local", 8L << 20, Sync.GROUP,
            Duration.ZERO, Retention.NONE, Map.of());

    public Retention retentionOf(String ns) {
        return perNamespace.getOrDefault(ns, retention);
    }

    /**
     * @throws IllegalArgumentException listing every wrong property
     */
    public static IndexSettings parse(Map<String, ?> props) {
        List<String> errors = new ArrayList<>();
        String ns = props.get("namespace") == null ? DEFAULTS.namespace : props.get("namespace").toString().trim();
        if (!ns.matches("[A-Za-z0-9._-]{1,64}")) {
            errors.add("namespace = '" + ns + "': expected 1-64 letters, digits, '.', '-' or '_'");
        }
        long segment = ConfigValues.wholeNumber(props, "segmentBytes", DEFAULTS.segmentBytes, 4096, 1L << 30, errors);
        Sync sync = DEFAULTS.sync;
        if (props.get("sync") != null) {
            try {
                sync = Sync.valueOf(props.get("sync").toString().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("sync = '" + props.get("sync") + "': expected always, group or none");
            }
        }
        Duration delay = ConfigValues.duration(props, "groupDelay", DEFAULTS.groupDelay, errors);
        Retention retention = retention(props, "retention.", errors);
        Map<String, Retention> per = new java.util.TreeMap<>();
        for (String key : props.keySet()) {
            String[] parts = key.split("\\.");
            if (parts.length == 3 && parts[0].equals("retention") && !per.containsKey(parts[1])) {
                per.put(parts[1], retention(props, "retention." + parts[1] + ".", errors));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(PID + ": " + String.join("; ", errors));
        }
        return new IndexSettings(ns, segment, sync, delay, retention, Map.copyOf(per));
    }

    private static Retention retention(Map<String, ?> props, String prefix, List<String> errors) {
        Duration age = ConfigValues.duration(props, prefix + "maxAge", null, errors);
        long bytes = ConfigValues.wholeNumber(props, prefix + "maxBytes", 0, 0, Long.MAX_VALUE, errors);
        long perRun = ConfigValues.wholeNumber(props, prefix + "maxPerRun", 0, 0, Long.MAX_VALUE, errors);
        return new Retention(age, bytes, perRun);
    }
}
