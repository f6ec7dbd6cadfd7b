package io.harmonix.waves.internal;

import io.harmonix.runner.api.AgentInfo;
import io.harmonix.runner.internal.RunEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tests' deployment: what Configuration Admin and Declarative Services do in the runtime, done directly. A
 * configuration is kept here (it outlives a coordinator, as Configuration Admin's do a restart) and made into a
 * {@link MarkerAgent} registered with the runner engine under the id DS would give it; deleting it removes the
 * agent. {@link #engine} can be swapped for a new one, as after a restart.
 */
final class EngineDeployment implements AgentDeployment {
    record Config(String type, String name, String target, List<String> components, long serviceId,
            MarkerAgent agent) {
    }

    private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);
    final Map<String, Config> configs = new TreeMap<>();
    volatile RunEngine engine;
    volatile java.time.Duration work = java.time.Duration.ZERO;
    /** Set: the next deletion asked from outside fails, as Configuration Admin's can (its store unwritable). */
    final java.util.concurrent.atomic.AtomicBoolean failNextRemove = new java.util.concurrent.atomic.AtomicBoolean();

    EngineDeployment(RunEngine engine) {
        this.engine = engine;
    }

    @Override
    public synchronized String deploy(String type, String name, String target, List<String> components) {
        drop(type, name);
        MarkerAgent agent = new MarkerAgent(type, target, components);
        agent.work = work;
        String id = AgentDeployment.agentId(type, name);
        long serviceId = SERVICE_IDS.incrementAndGet();
        configs.put(type + "~" + name, new Config(type, name, target, components, serviceId, agent));
        engine.addAgent(new AgentInfo(id, type, 1, "io.harmonix.agent." + type), agent, serviceId);
        return id;
    }

    @Override
    public synchronized void remove(String type, String name) throws java.io.IOException {
        if (failNextRemove.compareAndSet(true, false)) {
            throw new java.io.IOException("the configuration " + type + "~" + name + " could not be deleted: "
                    + "Configuration Admin's store refused the write");
        }
        drop(type, name);
    }

    private void drop(String type, String name) {
        Config c = configs.remove(type + "~" + name);
        if (c != null) {
            engine.removeAgent(c.serviceId());
        }
    }

    @Override
    public synchronized List<Deployed> deployed(String prefix) {
        List<Deployed> out = new ArrayList<>();
        configs.values().stream().filter(c -> c.name().startsWith(prefix))
                .forEach(c -> out.add(new Deployed(c.type(), c.name())));
        return out;
    }

    /** Makes the agents of the configurations kept again, in the current engine (DS after a restart). */
    synchronized void reregister() {
        for (Config c : configs.values()) {
            engine.addAgent(new AgentInfo(AgentDeployment.agentId(c.type(), c.name()), c.type(), 1, "test"),
                    c.agent(), c.serviceId());
        }
    }

    synchronized List<Config> all() {
        return List.copyOf(configs.values());
    }
}
