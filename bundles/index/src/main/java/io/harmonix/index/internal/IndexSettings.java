package io.harmonix.index.internal;

import io.harmonix.config.api.ConfigCheck;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings of the index (PID {@value #PID}), read by {@link #read}: every wrong value is named with what was expected.
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
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

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

    public Retention retentionOf(String ns) {
        return perNamespace.getOrDefault(ns, retention);
    }

    /**
     * Reads the index's configuration as a whole (see {@link ConfigCheck}): the settings, or every wrong property
     * named with what was expected. Absent keys take the defaults declared in {@link IndexComponent.Config};
     * {@code retention.<namespace>.*} keys, which it cannot declare, mean no limit when absent.
     */
    static ConfigCheck.Result<IndexSettings> read(IndexComponent.Config config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PID, properties);
        String ns = check.text("namespace", config::namespace, NAME, "1-64 letters, digits, '.', '-' or '_'");
        long segment = check.wholeNumber("segmentBytes", config::segmentBytes, 4096, 1L << 30);
        String sync = check.oneOf("sync", config::sync, "always", "group", "none");
        Duration delay = check.duration("groupDelay", config::groupDelay);
        Retention retention = new Retention(check.optionalDuration("retention.maxAge", config::retention_maxAge),
                check.wholeNumber("retention.maxBytes", config::retention_maxBytes, 0, Long.MAX_VALUE),
                check.wholeNumber("retention.maxPerRun", config::retention_maxPerRun, 0, Long.MAX_VALUE));
        Map<String, Retention> per = new TreeMap<>();
        for (String key : properties.keySet()) {
            String[] parts = key.split("\\.");
            if (parts.length == 3 && parts[0].equals("retention") && !per.containsKey(parts[1])) {
                String prefix = "retention." + parts[1] + ".";
                per.put(parts[1], new Retention(check.optionalDuration(prefix + "maxAge", () -> ""),
                        check.wholeNumber(prefix + "maxBytes", () -> 0L, 0, Long.MAX_VALUE),
                        check.wholeNumber(prefix + "maxPerRun", () -> 0L, 0, Long.MAX_VALUE)));
            }
        }
        return check.result(() -> new IndexSettings(ns, segment, Sync.valueOf(sync.toUpperCase(Locale.ROOT)), delay,
                retention, Map.copyOf(per)));
    }
}
