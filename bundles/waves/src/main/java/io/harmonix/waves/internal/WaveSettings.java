package io.harmonix.waves.internal;

import java.time.Duration;

/**
 * The coordinator's settings.
 *
 * @param leaseTime how long an instance owns its components without renewing (each cycle renews): long enough
 *     for a cycle and the pause after it, short enough that a crashed instance's components come free soon
 * @param agentWait how long a wave waits for Declarative Services to make its instances into agents
 * @param deadline each agent's deadline per cycle of a wave's run (null: the runner's default)
 * @param runnerPool the runner's agent pool (its {@code poolSize}): infinite mode leaves one thread of it to the
 *     other runs
 */
record WaveSettings(Duration leaseTime, Duration agentWait, Duration deadline, int runnerPool) {
    static final WaveSettings DEFAULTS = new WaveSettings(Duration.ofMinutes(15), Duration.ofSeconds(60), null, 8);
}
