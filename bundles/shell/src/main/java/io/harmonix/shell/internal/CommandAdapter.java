package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.ShellCommand;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The whiteboard of {@link ShellCommand} services: for each, a {@link CommandFunction} configuration whose scope and
 * function come from the command's own name ({@link CommandName} {@code cycle:run}: scope {@code cycle}, function
 * {@code run}), with its {@link CommandSummary} for {@code help} and its {@code service.ranking} (the higher wins a
 * name two commands share, as Gogo decides). A command that goes away takes its function with it. Only service
 * properties are read: no command is instantiated, nor its class loaded, before it is called.
 *
 * <p>No lock is held while DS makes or disposes a function: calling into the framework under a lock of one's own
 * invites deadlocks with its threads. A command that goes while its function is being made leaves a function that
 * DS disposes itself (its command reference, a mandatory one, is unsatisfied).
 */
@Component(immediate = true, service = {})
public class CommandAdapter {
    private final ComponentFactory<Function> functions;
    private final Logger log;
    /** The function of each command, by the command's service id. */
    private final Map<Long, ComponentInstance<Function>> registered = new ConcurrentHashMap<>();
    private volatile boolean deactivated;

    @Activate
    public CommandAdapter(
            @Reference(target = "(component.factory=" + CommandFunction.FACTORY + ")")
            ComponentFactory<Function> functions,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.functions = functions;
        this.log = log;
    }

    @Reference(service = ShellCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addCommand(ServiceReference<ShellCommand> command) {
        if (!Constants.SCOPE_PROTOTYPE.equals(command.getProperty(Constants.SERVICE_SCOPE))) {
            log.error("{} ignored: a command must have prototype scope (picocli fills its fields, so every call "
                    + "needs an instance of its own)", describe(command));
            return;
        }
        Hashtable<String, Object> properties = functionProperties(command);
        if (properties == null) {
            log.error("{} ignored: a command needs @CommandName(\"scope:function\"); it has {}", describe(command),
                    command.getProperty(CommandName.PROPERTY));
            return;
        }
        registered.put((Long) command.getProperty(Constants.SERVICE_ID), functions.newInstance(properties));
        if (deactivated) { // while this function was being made
            deactivate();
        }
    }

    void removeCommand(ServiceReference<ShellCommand> command) {
        ComponentInstance<Function> function = registered.remove((Long) command.getProperty(Constants.SERVICE_ID));
        if (function != null) {
            function.dispose();
        }
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        for (Long command : registered.keySet()) {
            ComponentInstance<Function> function = registered.remove(command);
            if (function != null) {
                function.dispose();
            }
        }
    }

    private static String describe(ServiceReference<?> ref) {
        return "command service " + ref.getProperty(Constants.SERVICE_ID) + " of bundle "
                + (ref.getBundle() == null ? "(gone)" : ref.getBundle().getSymbolicName()) + " ("
                + ref.getProperty("component.name") + ")";
    }

    /** @return the configuration of a command's function, or null when it names no {@code scope:function} */
    static Hashtable<String, Object> functionProperties(ServiceReference<?> command) {
        String name = String.valueOf(command.getProperty(CommandName.PROPERTY));
        int colon = name.indexOf(':');
        if (colon < 1 || colon == name.length() - 1 || name.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        Object summary = command.getProperty(CommandSummary.PROPERTY);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(CommandProcessor.COMMAND_SCOPE, name.substring(0, colon));
        properties.put(CommandProcessor.COMMAND_FUNCTION, name.substring(colon + 1));
        properties.put(CommandFunction.SUMMARY, summary == null ? "" : summary.toString());
        properties.put(CommandFunction.COMMAND_TARGET, "(" + Constants.SERVICE_ID + "="
                + command.getProperty(Constants.SERVICE_ID) + ")");
        Object ranking = command.getProperty(Constants.SERVICE_RANKING);
        if (ranking instanceof Integer) {
            properties.put(Constants.SERVICE_RANKING, ranking);
        }
        return properties;
    }
}
