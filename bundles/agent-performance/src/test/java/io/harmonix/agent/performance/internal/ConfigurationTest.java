package io.harmonix.agent.performance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.enhance.api.CycleFindings;
import io.harmonix.enhance.api.FindingCycle;
import java.io.Reader;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/**
 * An instance's factory configuration, read as SCR hands it over (the typed Config over the properties, the
 * defaults for keys not given): the example shipped in docs/examples/enhance, and a wrong value.
 */
class ConfigurationTest {
    private static final Path EXAMPLE = Path.of("../../docs/examples/enhance",
            "io.harmonix.agent.performance-harmonix.cfg");

    @TempDir
    Path home;

    @Test
    void theShippedExampleConfiguresAnInstanceWatchingTheRuntimeItself() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(EXAMPLE)) {
            p.load(r);
        }
        PerformanceAgent agent = new PerformanceAgent();
        agent.configure(config(p), context());

        CycleFindings c = FindingCycle.read(agent.step(new AgentContext("run", 1, null,
                JsonNodeFactory.instance.objectNode(), Instant.now().plusSeconds(30))).outputs()).orElseThrow();
        assertEquals(home.toAbsolutePath().normalize().toString(), c.target());
        assertEquals(PerformanceAgent.NO_COMMIT, c.commit());
        assertEquals(0, c.findings().size());
    }

    @Test
    void aWrongValueIsRefusedWithItsKey() {
        Properties p = new Properties();
        p.setProperty("window", "2");
        PerformanceAgent agent = new PerformanceAgent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> agent.configure(config(p), context()));
        assertEquals("io.harmonix.agent.performance: window must be at least 3 (a rank test on fewer samples cannot "
                + "reach significance); was 2", e.getMessage());
    }

    /** The Config SCR would make of these properties: each key converted to its method's type, else its default. */
    private static PerformanceAgent.Config config(Properties p) {
        return (PerformanceAgent.Config) Proxy.newProxyInstance(PerformanceAgent.Config.class.getClassLoader(),
                new Class<?>[] {PerformanceAgent.Config.class}, (proxy, m, args) -> {
                    String v = p.getProperty(m.getName());
                    if (v == null) {
                        return m.getDefaultValue();
                    }
                    Class<?> t = m.getReturnType();
                    return t == int.class ? Integer.valueOf(v.trim()) : t == double.class ? Double.valueOf(v.trim())
                            : v.trim();
                });
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, m, args) -> m.getName().equals("getProperty")
                        && "harmonix.home".equals(args[0]) ? home.toString() : null);
    }
}
