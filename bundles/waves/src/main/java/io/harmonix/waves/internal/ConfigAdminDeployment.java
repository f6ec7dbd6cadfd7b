package io.harmonix.waves.internal;

import io.harmonix.waves.api.Focus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Instances as named factory configurations in Configuration Admin: {@code getFactoryConfiguration(pid, name, "?")}
 * gives the configuration {@code io.harmonix.agent.<type>~<name>} (the one FileInstall would make of
 * {@code etc/io.harmonix.agent.<type>-<name>.cfg}), bound to no bundle in particular. Tested in the runtime (the
 * unit tests have no Configuration Admin): see the waves integration test.
 */
final class ConfigAdminDeployment implements AgentDeployment {
    private final ConfigurationAdmin admin;

    ConfigAdminDeployment(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public String deploy(String type, String name, String target, List<String> components) throws IOException {
        Configuration c = admin.getFactoryConfiguration(Focus.parse(type).factoryPid(), name, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("target", target);
        props.put("components", String.join(",", components));
        props.put("harmonix.wave", name.substring(0, Math.max(0, name.lastIndexOf('-'))));
        c.update(props);
        return AgentDeployment.agentId(type, name);
    }

    @Override
    public void remove(String type, String name) throws IOException {
        String pid = Focus.parse(type).factoryPid() + "~" + name;
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
            if (found != null) {
                for (Configuration c : found) {
                    c.delete();
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IOException("configuration name '" + name + "' makes no valid filter", e);
        }
    }

    @Override
    public List<Deployed> deployed(String prefix) throws IOException {
        List<Deployed> out = new ArrayList<>();
        try {
            Configuration[] all = admin.listConfigurations("(service.factoryPid=" + Focus.FACTORY_PID_PREFIX + "*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                String pid = c.getPid();
                int tilde = pid.indexOf('~');
                if (tilde < 0 || c.getFactoryPid() == null) {
                    continue;
                }
                String name = pid.substring(tilde + 1);
                String type = c.getFactoryPid().substring(Focus.FACTORY_PID_PREFIX.length());
                if (name.startsWith(prefix)) {
                    out.add(new Deployed(type, name));
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the filter of agent factories is constant and valid", e);
        }
        return out;
    }
}
