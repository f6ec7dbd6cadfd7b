package io.harmonix.enhance.api;

import io.harmonix.cycle.api.Agent;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An enhancement agent: a cycle {@link Agent} (registered under both interfaces, with {@value Agent#TYPE} its agent
 * type) whose cycle outputs are written by {@link FindingCycle}, and which can say which rules it applies.
 *
 * <p>Instances come from factory configurations: {@code etc/<factory pid>-<name>.cfg} makes an instance whose
 * agent id is {@code <type>.<name>} (see {@link io.harmonix.cycle.api.AgentsById#idOf}).
 */
@ConsumerType
public interface EnhancementAgent extends Agent {
    /** @return the rules this instance applies, with their configured severities */
    List<Rule> rules();
}
