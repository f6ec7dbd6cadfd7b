package io.harmonix.shell.internal;

import io.harmonix.shell.api.CommandLines;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.ShellCommands;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
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
 * The whiteboard of {@link ShellCommands} services: for each command method of each, a {@link CommandFunction} in
 * Gogo's command table under {@code scope:name}, the scope the service's {@link CommandScope}, the name the
 * method's picocli name, ranked by the service's {@code service.ranking} (the higher wins a name two commands
 * share, as Gogo decides). Commands that go away take their functions with them. The methods are read from the
 * component's class, found through the Service Component Runtime: no command component is activated before one of
 * its commands is called. {@code help} is the adapter's own, in Gogo's {@code felix:help} place (ranked above it),
 * because only the adapter knows the Harmonix commands' descriptions and usage.
 */
@Component(immediate = true, service = {})
public class CommandAdapter {
    private final CommandProcessorImpl processor;
    private final ServiceComponentRuntime components;
    private final BundleContext context;
    private final Logger log;
    /** The functions of each commands service, by its service id. */
    private final Map<Long, List<CommandFunction>> registered = new ConcurrentHashMap<>();
    /** Every Harmonix function by {@code scope:name}, for help; the highest ranked where two share a name. */
    private final NavigableMap<String, CommandFunction> functions = new ConcurrentSkipListMap<>();
    private final CommandFunction help;
    private final UnscopedNames unscoped;
    private boolean deactivated; // under the adapter's lock

    @Activate
    public CommandAdapter(@Reference CommandProcessor processor, @Reference ServiceComponentRuntime components,
            @Reference(service = LoggerFactory.class) Logger log, BundleContext context) {
        this.processor = GogoCommands.of(processor);
        this.components = components;
        this.context = context;
        this.log = log;
        Method method = CommandLines.commands(HelpCommands.class).get("help");
        help = new CommandFunction("felix", "help", CommandLines.summary(method),
                fixed(new HelpCommands(functions, context)), 1, List::of); // above gogo.command's felix:help (0)
        this.processor.addCommand(help.scope(), help, help.name(), help.ranking());
        functions.put(help.fullName(), help);
        unscoped = new UnscopedNames(this.processor, functions);
    }

    @Reference(service = ShellCommands.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addCommands(ServiceReference<ShellCommands> commands) {
        List<CommandFunction> made;
        try {
            Class<?> type = implementation(commands);
            ServiceObjects<ShellCommands> service = context.getServiceObjects(commands);
            if (service == null) {
                return; // gone while being added: its removal follows
            }
            made = functions(commands, type, service, () -> FailedComponents.of(components));
            if (made.isEmpty()) {
                throw new IllegalArgumentException(type.getName() + " has no public @Command method");
            }
        } catch (RuntimeException | ClassNotFoundException e) {
            log.error("{} ignored: {}", describe(commands), e.getMessage());
            return;
        }
        synchronized (this) {
            if (deactivated) {
                return;
            }
            registered.put((Long) commands.getProperty(Constants.SERVICE_ID), made);
            for (CommandFunction function : made) {
                processor.addCommand(function.scope(), function, function.name(), function.ranking());
            }
            reindex();
        }
    }

    synchronized void removeCommands(ServiceReference<ShellCommands> commands) {
        remove(registered.remove((Long) commands.getProperty(Constants.SERVICE_ID)));
        reindex();
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        for (Long commands : List.copyOf(registered.keySet())) {
            remove(registered.remove(commands));
        }
        processor.removeCommand(help.scope(), help.name(), help);
        unscoped.clear();
    }

    private void remove(List<CommandFunction> made) {
        if (made != null) {
            made.forEach(function -> processor.removeCommand(function.scope(), function.name(), function));
        }
    }

    /**
     * Brings the functions help describes in line with what Gogo calls: for each name, the highest ranked of the
     * commands registered now (on a tie, the first added), so that the one behind a name taken away comes back.
     * Called under the adapter's lock: DS binds and unbinds commands from several threads.
     */
    private void reindex() {
        Map<String, CommandFunction> next = new TreeMap<>();
        next.put(help.fullName(), help);
        registered.entrySet().stream().sorted(Map.Entry.comparingByKey()) // service ids: the order they came
                .flatMap(e -> e.getValue().stream())
                .forEach(f -> next.merge(f.fullName(), f, (old, added) -> added.ranking() > old.ranking() ? added
                        : old));
        functions.keySet().retainAll(next.keySet());
        functions.putAll(next);
        unscoped.update();
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

    /** @return a function for each command method of {@code type}, calling the service {@code commands} */
    static List<CommandFunction> functions(ServiceReference<?> commands, Class<?> type,
            ServiceObjects<ShellCommands> service, Supplier<List<String>> failedComponents) {
        Object scope = commands.getProperty(CommandScope.PROPERTY);
        if (!(scope instanceof String s) || s.isBlank() || s.contains(":")) {
            throw new IllegalArgumentException("commands need @CommandScope(\"scope\"); they have " + scope);
        }
        // CommandLines names the command in its usage and errors from the class's annotation: they must agree
        if (!s.equals(type.isAnnotationPresent(CommandScope.class) ? CommandLines.scope(type) : null)) {
            throw new IllegalArgumentException("the scope " + s + " is a service property only; the class needs "
                    + "@CommandScope(\"" + s + "\")");
        }
        int ranking = commands.getProperty(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        List<CommandFunction> made = new ArrayList<>();
        for (Map.Entry<String, Method> command : CommandLines.commands(type).entrySet()) {
            made.add(new CommandFunction(s, command.getKey(), CommandLines.summary(command.getValue()), service,
                    ranking, failedComponents));
        }
        return made;
    }

    /** The shell's own help, which is not a service: one instance, always there. */
    private static ServiceObjects<ShellCommands> fixed(ShellCommands instance) {
        return new ServiceObjects<>() {
            @Override
            public ShellCommands getService() {
                return instance;
            }

            @Override
            public void ungetService(ShellCommands service) {
                // nothing was counted
            }

            @Override
            public ServiceReference<ShellCommands> getServiceReference() {
                throw new UnsupportedOperationException("the shell's help is not a service");
            }
        };
    }
}
