package io.harmonix.propagator.internal;

import io.harmonix.config.api.ConfigCheck;
import io.harmonix.config.api.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the ingest endpoint serves and how much it takes, from the propagator's configuration (PID
 * {@value PropagatorSettings#PID}): the one place of their defaults (which {@link PropagatorComponent.Config}
 * declares from these constants) and their bounds. The endpoint answers before the signature can be checked, so
 * these limits are what an unauthenticated client can cost: at most {@code maxConcurrentBodies} bodies of at most
 * {@code maxBodyBytes} each are held at once (32 MiB with the defaults), and a body not received whole within
 * {@code readTimeout} is cut.
 *
 * @param path the servlet's path; a peer posts to PATH/PEER-ID
 * @param maxBodyBytes largest body taken (a snapshot is a few kB; larger ones are answered 413)
 * @param maxConcurrentBodies bodies received at once; one more is answered 503 with Retry-After
 * @param readTimeout how long a request may take to send its whole body (408 after it)
 */
record IngestSettings(String path, int maxBodyBytes, int maxConcurrentBodies, Duration readTimeout) {
    static final String DEFAULT_PATH = "/harmonix/ingest";
    static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    static final int MIN_BODY_BYTES = 1 << 10;
    static final int MAX_BODY_BYTES = 16 << 20;
    static final int DEFAULT_MAX_CONCURRENT_BODIES = 32;
    static final int MAX_CONCURRENT_BODIES = 1024;
    static final String DEFAULT_READ_TIMEOUT = "10s";
    static final Duration MIN_READ_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_READ_TIMEOUT = Duration.ofMinutes(5);
    /** How long a client told 503 (all bodies taken) is asked to wait: a body is normally received in ms. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    /** Reads the ingest keys into {@code check} (which names every wrong one); null values after a problem. */
    static IngestSettings read(ConfigCheck check, PropagatorComponent.Config config) {
        String path = check.text("ingest.path", config::ingest_path, PATH, "a path like " + DEFAULT_PATH);
        int maxBody = check.wholeNumber("ingest.maxBodyBytes", config::ingest_maxBodyBytes, MIN_BODY_BYTES,
                MAX_BODY_BYTES);
        int maxBodies = check.wholeNumber("ingest.maxConcurrentBodies", config::ingest_maxConcurrentBodies, 1,
                MAX_CONCURRENT_BODIES);
        Duration readTimeout = check.parsed("ingest.readTimeout", config::ingest_readTimeout, text -> {
            Duration d = Durations.parse(text);
            if (d.compareTo(MIN_READ_TIMEOUT) < 0 || d.compareTo(MAX_READ_TIMEOUT) > 0) {
                throw new IllegalArgumentException("'" + text + "': expected a duration from "
                        + Durations.format(MIN_READ_TIMEOUT) + " to " + Durations.format(MAX_READ_TIMEOUT));
            }
            return d;
        });
        return new IngestSettings(path, maxBody, maxBodies, readTimeout);
    }

    /**
     * Only the ingest keys, for the ingest servlet: it answers (503 while the propagator is away) with the settings
     * in force whatever the other keys say, so that a peer never gets a 404 that counts toward dead-lettering.
     */
    static ConfigCheck.Result<IngestSettings> read(PropagatorComponent.Config config, Map<String, ?> properties) {
        ConfigCheck check = new ConfigCheck(PropagatorSettings.PID, properties);
        IngestSettings s = read(check, config);
        return check.result(() -> s);
    }
}
