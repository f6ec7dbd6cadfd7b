package io.harmonix.waves.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentsById;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The instances' configurations in a real Configuration Admin: Felix ConfigAdmin in an embedded Felix framework,
 * its API shared with the test's class path, as the runtime's is with every bundle.
 */
class ConfigAdminDeploymentTest {
    @TempDir
    Path dir;
    Felix felix;
    ConfigurationAdmin admin;
    ConfigAdminDeployment deployment;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.cm;version=1.6.1");
        felix = new Felix(config);
        felix.start();
        String jar = Class.forName("org.apache.felix.cm.impl.ConfigurationManager").getProtectionDomain()
                .getCodeSource().getLocation().toString();
        Bundle cm = felix.getBundleContext().installBundle(jar);
        cm.start();
        var ref = felix.getBundleContext().getServiceReference(ConfigurationAdmin.class);
        admin = felix.getBundleContext().getService(ref);
        deployment = new ConfigAdminDeployment(admin);
    }

    @AfterEach
    void stop() throws Exception {
        felix.stop();
        felix.waitForStop(10_000);
    }

    @Test
    void anInstanceIsANamedFactoryConfigurationOfItsTypeWithTargetAndComponents() throws Exception {
        String id = deployment.deploy("quality", "w-1a2b3c4d-1", "/src/app", List.of("bundles/a", "bundles/b"));

        Configuration[] found = admin.listConfigurations("(service.factoryPid=io.harmonix.agent.quality)");
        assertEquals(1, found.length);
        Configuration c = found[0];
        assertEquals("io.harmonix.agent.quality~w-1a2b3c4d-1", c.getPid(), "what etc/io.harmonix.agent.quality-"
                + "w-1a2b3c4d-1.cfg would make");
        assertEquals("/src/app", c.getProperties().get("target"));
        assertEquals("bundles/a,bundles/b", c.getProperties().get("components"));
        assertEquals("w-1a2b3c4d", c.getProperties().get("harmonix.wave"));
        assertEquals("quality.w-1a2b3c4d-1", id);
        assertEquals(id, AgentsById.idOf(Map.<String, Object>of(Agent.TYPE, "quality", AgentsById.SERVICE_PID,
                c.getPid())::get), "the id the runner will know the agent DS makes of it by");
    }

    @Test
    void deployedListsAWavesConfigurationsAndRemoveDeletesThem() throws Exception {
        deployment.deploy("quality", "w-1a2b3c4d-1", "/src/app", List.of("a"));
        deployment.deploy("security", "w-1a2b3c4d-2", "/src/app", List.of("b"));
        deployment.deploy("security", "w-1a2b3c4d-2", "/src/app", List.of("b", "c"));
        deployment.deploy("workflow", "w-99999999-1", "/src/app", List.of("d"));
        admin.getFactoryConfiguration("io.harmonix.agent.quality", "harmonix", "?").update(
                new java.util.Hashtable<>(Map.of("target", "/src/app")));

        assertEquals(List.of("quality/w-1a2b3c4d-1", "security/w-1a2b3c4d-2"), names("w-1a2b3c4d"),
                "an update is the same configuration");
        assertEquals(4, names("").size());
        assertEquals("b,c", admin.listConfigurations("(service.pid=io.harmonix.agent.security~w-1a2b3c4d-2)")[0]
                .getProperties().get("components"));

        deployment.remove("security", "w-1a2b3c4d-2");
        deployment.remove("security", "w-1a2b3c4d-2");
        assertEquals(List.of("quality/w-1a2b3c4d-1"), names("w-1a2b3c4d"));
        assertNull(admin.listConfigurations("(service.pid=io.harmonix.agent.security~w-1a2b3c4d-2)"));
        assertEquals(1, admin.listConfigurations("(service.pid=io.harmonix.agent.quality~harmonix)").length,
                "a configuration a user wrote is left alone");
    }

    private List<String> names(String prefix) throws Exception {
        return deployment.deployed(prefix).stream().map(d -> d.type() + "/" + d.name()).sorted().toList();
    }
}
