package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The whiteboard of {@link ShellCommands} services: for each command method of each, a {@link CommandFunction}
 * configuration whose scope is the service's {@link CommandScope}, whose function is the method's picocli name,
 * with its header for {@code help} and the service's {@code service.ranking} (the higher wins a name two commands
 * share, as Gogo decides). Commands that go away take their functions with them. The methods are read from the
 * component's class, found through the Service Component Runtime: no command component is activated before one of
 * its commands is called.
 *
 * <p>No lock is held while DS makes or disposes a function: calling into the framework under a lock of one's own
 * invites deadlocks with its threads. Commands that go while their functions are being made leave functions that
 * DS disposes itself (their commands reference, a mandatory one, is unsatisfied).
 */
@Component(immediate = true, service = {})
public class CommandAdapter {
    private final ComponentFactory<Function> functions;
    private final ServiceComponentRuntime components;
    private final Logger log;
    /** The functions of each commands service, by its service id. */
    private final Map<Long, List<ComponentInstance<Function>>> registered = new ConcurrentHashMap<>();
    private volatile boolean deactivated;

    @Activate
    public CommandAdapter(
            @Reference(target = "(component.factory=" + CommandFunction.FACTORY + ")")
            ComponentFactory<Function> functions,
            @Reference ServiceComponentRuntime components,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.functions = functions;
        this.components = components;
        this.log = log;
    }

    @Reference(service = ShellCommands.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addCommands(ServiceReference<ShellCommands> commands) {
        List<Hashtable<String, Object>> configurations;
        try {
            configurations = functionProperties(commands, implementation(commands));
        } catch (RuntimeException | ClassNotFoundException e) {
            log.error("{} ignored: {}", describe(commands), e.getMessage());
            return;
        }
        List<ComponentInstance<Function>> made = new ArrayList<>();
        registered.put((Long) commands.getProperty(Constants.SERVICE_ID), made);
        for (Hashtable<String, Object> configuration : configurations) {
            made.add(functions.newInstance(configuration));
        }
        if (deactivated) { // while these functions were being made
            deactivate();
        }
    }

    void removeCommands(ServiceReference<ShellCommands> commands) {
        List<ComponentInstance<Function>> made = registered.remove((Long) commands.getProperty(Constants.SERVICE_ID));
        if (made != null) {
            made.forEach(ComponentInstance::dispose);
        }
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        for (Long commands : registered.keySet()) {
            List<ComponentInstance<Function>> made = registered.remove(commands);
            if (made != null) {
                made.forEach(ComponentInstance::dispose);
            }
        }
    }

    /** @return the class of a commands component, loaded from its bundle as DS describes it (not instantiated) */
    private Class<?> implementation(ServiceReference<ShellCommands> commands) throws ClassNotFoundException {
        Bundle bundle = commands.getBundle();
        Object name = commands.getProperty(ComponentConstants.COMPONENT_NAME);
        ComponentDescriptionDTO description = bundle == null || name == null ? null
                : components.getComponentDescriptionDTO(bundle, name.toString());
        if (description == null) {
            throw new IllegalArgumentException("commands are the service of a DS component");
        }
        return bundle.loadClass(description.implementationClass);
    }

    private static String describe(ServiceReference<?> ref) {
        return "commands service " + ref.getProperty(Constants.SERVICE_ID) + " of bundle "
                + (ref.getBundle() == null ? "(gone)" : ref.getBundle().getSymbolicName()) + " ("
                + ref.getProperty(ComponentConstants.COMPONENT_NAME) + ")";
    }

    /** @return the configuration of a function for each command method of {@code type}, served by {@code commands} */
    static List<Hashtable<String, Object>> functionProperties(ServiceReference<?> commands, Class<?> type) {
        Object scope = commands.getProperty(CommandScope.PROPERTY);
        if (!(scope instanceof String s) || s.isBlank() || s.contains(":")) {
            throw new IllegalArgumentException("commands need @CommandScope(\"scope\"); they have " + scope);
        }
        List<Hashtable<String, Object>> configurations = new ArrayList<>();
        for (Map.Entry<String, Method> command : CommandLines.commands(type).entrySet()) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(CommandProcessor.COMMAND_SCOPE, scope);
            properties.put(CommandProcessor.COMMAND_FUNCTION, command.getKey());
            properties.put(CommandFunction.SUMMARY, CommandLines.summary(command.getValue()));
            properties.put(CommandFunction.COMMANDS_TARGET, "(" + Constants.SERVICE_ID + "="
                    + commands.getProperty(Constants.SERVICE_ID) + ")");
            Object ranking = commands.getProperty(Constants.SERVICE_RANKING);
            if (ranking instanceof Integer) {
                properties.put(Constants.SERVICE_RANKING, ranking);
            }
            configurations.add(properties);
        }
        if (configurations.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no public @Command method");
        }
        return configurations;
    }
}
