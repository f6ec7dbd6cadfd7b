package io.harmonix.agent.quality.internal;

import io.harmonix.cycle.api.Agent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osgi.util.converter.Converters;

/**
 * The quality agent as DS makes it from a configuration, for the proposals' tests (its configure method is the
 * bundle's own, so this helper sits in its package, on the test class path only).
 */
public final class QualityAgents {
    private QualityAgents() {
    }

    /** @return an instance {@code quality.NAME} configured with {@code properties} */
    public static Agent create(Path home, String name, Map<String, Object> properties) {
        QualityAgent agent = new QualityAgent();
        agent.configure(Converters.standardConverter().convert(new HashMap<>(properties))
                .to(QualityAgent.Config.class), home, "quality." + name);
        return agent;
    }
}
