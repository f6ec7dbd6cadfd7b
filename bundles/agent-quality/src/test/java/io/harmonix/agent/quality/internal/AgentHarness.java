package io.harmonix.agent.quality.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.osgi.util.converter.Converters;

/** The agent as DS makes it (configuration from properties), and its cycles read back as the API reads them. */
final class AgentHarness {
    final QualityAgent agent = new QualityAgent();
    private JsonNode state;
    /** The last cycle's result as the agent returned it (outputs and state as they are stored). */
    AgentResult last;
    private long cycle;

    /** @param properties configuration properties, as in {@code etc/io.harmonix.agent.quality-NAME.cfg} */
    AgentHarness(Path home, Map<String, Object> properties) {
        agent.configure(config(properties), home, "quality.test");
    }

    static QualityAgent.Config config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(new HashMap<>(properties)).to(QualityAgent.Config.class);
    }

    /** One cycle, with the state of the previous one, that must end by {@code deadline}. */
    CycleFindings cycle(Instant deadline) throws Exception {
        AgentResult result = agent.step(new AgentContext("run-1", ++cycle, state,
                JsonNodeFactory.instance.objectNode(), deadline));
        state = result.state();
        last = result;
        return FindingCycle.read(result.outputs()).orElseThrow();
    }

    CycleFindings cycle() throws Exception {
        return cycle(Instant.now().plusSeconds(300));
    }
}
