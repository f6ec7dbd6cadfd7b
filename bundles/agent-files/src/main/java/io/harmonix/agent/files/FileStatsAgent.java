package io.harmonix.agent.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.cycle.api.StateMigrationException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The sample agent: each cycle counts the text files, lines and TODO/FIXME markers under a directory and reports
 * the change since its previous state. Its state is just those counts, so it shows how an agent carries what it
 * needs from one cycle to the next without holding anything itself.
 */
@Component(configurationPid = FileStatsAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {Agent.ID + "=files", Agent.TYPE + "=sample"})
@Designate(ocd = FileStatsAgent.Config.class)
public class FileStatsAgent implements Agent {
    static final String PID = "io.harmonix.agent.files";
    /**
     * Version of the state this agent writes. v1: directory and counts. v2 adds {@code cycles} (how many cycles the
     * agent has done in the run) and {@code fingerprint}, a hash chain over every cycle's counts: two runs with the
     * same fingerprint saw the same cycles, in the same order, each once.
     */
    static final int STATE_VERSION = 2;

    @ObjectClassDefinition(name = "Harmonix sample agent: file statistics")
    @interface Config {
        @AttributeDefinition(description = "Directory to count; relative paths are taken from harmonix.home. "
                + "Empty: harmonix.home itself.")
        String directory() default "";

        @AttributeDefinition(description = "File extensions counted as text, comma-separated.")
        String extensions() default "java,md,txt,xml,json,yaml,yml,properties,cfg,sh,py,js,ts,html,css,c,h,rs,go";

        @AttributeDefinition(description = "Files larger than this many bytes are skipped.", min = "1")
        long maxFileBytes() default 1_048_576;
    }

    /** What a cycle counts. One value, swapped whole: a cycle never counts with half of an updated configuration. */
    private record Scope(Path directory, Set<String> extensions, long maxFileBytes) {
    }

    private volatile Scope scope;

    /** For tests and for use outside OSGi. */
    FileStatsAgent(Path directory, Set<String> extensions, long maxFileBytes) {
        scope = new Scope(directory, extensions, maxFileBytes);
    }

    public FileStatsAgent() {
    }

    @Activate
    @Modified
    void configure(Config config, BundleContext context) {
        String home = context.getProperty("harmonix.home");
        Path base = Path.of(home == null ? "." : home);
        scope = new Scope(config.directory().isBlank() ? base : base.resolve(config.directory()),
                Arrays.stream(config.extensions().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
                config.maxFileBytes());
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Scope in = scope;
        Path dir = in.directory();
        FileStats now = FileStats.of(dir, in.extensions(), in.maxFileBytes(), context::deadlinePassed);
        JsonNode before = context.previousState();
        boolean first = context.firstCycle();

        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.put("stateVersion", STATE_VERSION);
        state.put("directory", dir.toAbsolutePath().normalize().toString());
        state.put("files", now.files());
        state.put("lines", now.lines());
        state.put("todos", now.todos());
        long cycles = first ? 1 : before.path("cycles").asLong() + 1;
        String previousPrint = first ? "" : before.path("fingerprint").asText();
        state.put("cycles", cycles);
        state.put("fingerprint", CycleSnapshots.digest(JsonNodeFactory.instance.textNode(previousPrint + "|"
                + context.cycle() + ":" + now.files() + ":" + now.lines() + ":" + now.todos())));

        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        outputs.put("directory", state.get("directory").asText());
        ObjectNode change = outputs.putObject("change");
        long dFiles = first ? 0 : now.files() - before.path("files").asLong();
        long dLines = first ? 0 : now.lines() - before.path("lines").asLong();
        long dTodos = first ? 0 : now.todos() - before.path("todos").asLong();
        change.put("files", dFiles);
        change.put("lines", dLines);
        change.put("todos", dTodos);
        outputs.put("changed", dFiles != 0 || dLines != 0 || dTodos != 0);
        outputs.put("firstCycle", first);

        Map<String, Double> metrics = Map.of(
                "files", (double) now.files(),
                "lines", (double) now.lines(),
                "todos", (double) now.todos(),
                "skipped", (double) now.skipped());
        return new AgentResult(state, outputs, metrics);
    }

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    /** v1 to v2: the cycle count starts at the upgrade, the fingerprint chain from the v1 state itself. */
    @Override
    public JsonNode migrateState(int fromVersion, JsonNode state) throws StateMigrationException {
        if (fromVersion != 1 || !state.isObject()) {
            throw new StateMigrationException("no migration from state version " + fromVersion);
        }
        ObjectNode v2 = ((ObjectNode) state).deepCopy();
        v2.put("stateVersion", 2);
        v2.put("cycles", 0);
        v2.put("fingerprint", CycleSnapshots.digest(state));
        return v2;
    }
}
