package io.harmonix.agent.quality.testing;

import io.harmonix.agent.quality.internal.QualityAgent;
import io.harmonix.cycle.api.Agent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osgi.util.converter.Converters;

/**
 * The quality agent for the tests of other bundles, configured as DS configures an instance of its factory
 * configuration: the properties given, the others at their defaults. Shipped in this module's test jar
 * ({@code <type>test-jar</type>}, test scope, with {@code org.osgi.util.converter} on the test class path), so that
 * those tests never reach into the agent's private package.
 */
public final class TestQualityAgent {
    private TestQualityAgent() {
    }

    /**
     * @param home what the agent takes relative paths from, as the runtime's home
     * @param name the instance's name: its id is {@code quality.NAME}
     * @param properties configuration properties of {@code io.harmonix.agent.quality} (ruleset, thresholds...)
     * @return the configured agent
     */
    public static Agent create(Path home, String name, Map<String, Object> properties) {
        QualityAgent agent = new QualityAgent();
        agent.configure(Converters.standardConverter().convert(new HashMap<>(properties))
                .to(QualityAgent.Config.class), home, "quality." + name);
        return agent;
    }
}
