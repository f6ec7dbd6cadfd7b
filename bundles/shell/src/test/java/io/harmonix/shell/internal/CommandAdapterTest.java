package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.BundleContext;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.gogo.runtime.CommandNotFoundException;
import java.io.ByteArrayInputStream;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whiteboard adapter and the function it publishes per command method, without a framework. */
class CommandAdapterTest {
    @CommandScope("demo")
    public static class DemoCommands implements ShellCommands {
        @Command(name = "hello", header = "say hello", description = "Says hello; the long form.")
        public CommandResult hello(@Option(names = "--name", defaultValue = "world", description = "Who.")
                String name) {
            return CommandResult.of("hello " + name, Json.object().put("hello", name));
        }

        @Command(name = "plain")
        public CommandResult plain() {
            return CommandResult.plain("plain");
        }
    }

    /** The same commands in another scope. */
    @CommandScope("other")
    public static final class OtherCommands extends DemoCommands {
    }

    @CommandScope("demo")
    public static final class NoCommands implements ShellCommands {
        public CommandResult notACommand() {
            return CommandResult.plain("never");
        }
    }

    /** A commands service as DS registers it: its scope property and its component's name (here, its class). */
    @SuppressWarnings("unchecked")
    static ServiceReference<ShellCommands> commands(long serviceId, String scope, Class<?> type, Integer ranking) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, serviceId);
        props.put("component.name", type.getName());
        if (scope != null) {
            props.put(CommandScope.PROPERTY, scope);
        }
        if (ranking != null) {
            props.put(Constants.SERVICE_RANKING, ranking);
        }
        Bundle bundle = (Bundle) Proxy.newProxyInstance(CommandAdapterTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "loadClass" -> Class.forName((String) args[0]);
                    case "getSymbolicName" -> "demo.bundle";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ServiceReference<ShellCommands>) Proxy.newProxyInstance(CommandAdapterTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> props.get((String) args[0]);
                    case "getBundle" -> bundle;
                    case "toString" -> "reference " + props;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The Service Component Runtime's description of each component: its class, except for non-DS services. */
    private final ServiceComponentRuntime components = (ServiceComponentRuntime) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> {
                if (!method.getName().equals("getComponentDescriptionDTO") || "not.ds".equals(args[1])) {
                    return null;
                }
                ComponentDescriptionDTO description = new ComponentDescriptionDTO();
                description.implementationClass = (String) args[1];
                return description;
            });

    private final List<String> errors = new ArrayList<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("error")) {
                    errors.add(args[0] + " " + List.of(args).subList(1, args.length));
                }
                return null;
            });

    /** Gogo's own command processor, as the framework has it, routing System.out to the calling session. */
    private final ThreadIOImpl threadIO = started(new ThreadIOImpl());
    private final CommandProcessorImpl gogo = new CommandProcessorImpl(threadIO);

    private static ThreadIOImpl started(ThreadIOImpl threadIO) {
        threadIO.start();
        return threadIO;
    }

    @AfterEach
    void stopGogo() {
        gogo.stop();
        threadIO.stop();
    }
    private final BundleContext context = context();

    /** A bundle context that hands out, for a commands service, a fresh instance of its component's class. */
    private static BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(CommandAdapterTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServiceObjects" -> new CommandObjects(() -> {
                        try {
                            return (ShellCommands) Class.forName(String.valueOf(((ServiceReference<?>) args[0])
                                    .getProperty("component.name"))).getConstructor().newInstance();
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    case "getAllServiceReferences", "getServiceReferences" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Set<String> demo() {
        // felix:help is the shell's own; shell:NAME find a command typed without its scope (UnscopedNames)
        return gogo.getCommands().stream().filter(c -> !c.startsWith("felix:") && !c.startsWith("shell:"))
                .collect(Collectors.toSet());
    }

    @Test
    void eachCommandMethodIsAFunctionInGogosTableNamedByItsOwnNameAndGoesWithItsCommands() throws Exception {
        CommandAdapter adapter = new CommandAdapter(gogo, components, log, context);
        assertEquals(Set.of("felix:help"), gogo.getCommands(), "the shell's help, from the start");
        ServiceReference<ShellCommands> demo = commands(41, "demo", DemoCommands.class, null);
        ServiceReference<ShellCommands> ranked = commands(42, "other", OtherCommands.class, 5);
        adapter.addCommands(demo);
        adapter.addCommands(ranked);
        assertEquals(Set.of("demo:hello", "demo:plain", "other:hello", "other:plain"), demo());

        CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.execute("demo:hello --name ann");
        assertEquals("hello ann\n", bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        session.execute("help");
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(help.matches("(?s)COMMAND +DESCRIPTION\n.*demo:hello +say hello\n.*"), help);
        assertTrue(help.matches("(?s).*\nfelix:help +list the commands, or show one's help\n.*"), help);

        adapter.removeCommands(demo);
        // Gogo keeps a name it once had in getCommands(); what counts is whether it still answers
        assertThrows(CommandNotFoundException.class, () -> session.execute("demo:hello"));
        bytes.reset();
        session.execute("other:hello");
        assertEquals("hello world\n", bytes.toString(StandardCharsets.UTF_8));
        adapter.deactivate();
        assertThrows(CommandNotFoundException.class, () -> session.execute("other:hello"));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void commandsWithoutAScopeOrWithoutCommandMethodsOrNotOfDsGetNoFunctionAndSayWhy() {
        CommandAdapter adapter = new CommandAdapter(gogo, components, log, context);
        adapter.addCommands(commands(1, null, DemoCommands.class, null));
        adapter.addCommands(commands(2, "demo:x", DemoCommands.class, null));
        adapter.addCommands(commands(3, "demo", NoCommands.class, null));
        adapter.addCommands(wrapName(commands(4, "demo", DemoCommands.class, null)));
        adapter.addCommands(commands(5, "other", DemoCommands.class, null));
        assertEquals(Set.of(), demo());
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.get(4).contains("the scope other is a service property only; the class needs "
                + "@CommandScope(\"other\")"), errors.get(4));
        assertTrue(errors.get(0).contains("need @CommandScope(\"scope\"); they have null"), errors.get(0));
        assertTrue(errors.get(1).contains("they have demo:x"), errors.get(1));
        assertTrue(errors.get(2).contains("NoCommands has no public @Command method"), errors.get(2));
        assertTrue(errors.get(3).contains("commands are the service of a DS component"), errors.get(3));
        adapter.removeCommands(commands(1, null, DemoCommands.class, null));
        assertEquals(Set.of(), demo());
    }

    @Test
    void theHigherRankedOfTwoCommandsOfOneNameIsTheOneGogoCallsAndHelpDescribes() throws Exception {
        CommandAdapter adapter = new CommandAdapter(gogo, components, log, context);
        adapter.addCommands(commands(1, "demo", DemoCommands.class, null));
        adapter.addCommands(commands(2, "demo", LoudCommands.class, 3));
        CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.execute("help demo:hello");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("Usage: demo:hello [-h] [--json]\nSays HELLO"),
                bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        session.execute("demo:hello");
        assertEquals("HELLO\n", bytes.toString(StandardCharsets.UTF_8), "Gogo calls the higher ranked");

        adapter.removeCommands(commands(2, "demo", LoudCommands.class, 3)); // the one behind the name comes back
        bytes.reset();
        session.execute("help demo:hello");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("Usage: demo:hello [-h] [--json] [--name="),
                bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        session.put("SCOPE", "shell:*");
        session.execute("hello");
        assertEquals("hello world\n", bytes.toString(StandardCharsets.UTF_8));
        adapter.deactivate();
    }

    /** The same reference, under a component name the runtime does not know. */
    @SuppressWarnings("unchecked")
    private ServiceReference<ShellCommands> wrapName(ServiceReference<ShellCommands> ref) {
        return (ServiceReference<ShellCommands>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) ->
                        method.getName().equals("getProperty") && "component.name".equals(args[0]) ? "not.ds"
                                : method.invoke(ref, args));
    }

    @Test
    void aNameTwoScopesShareTypedWithoutItsScopeAnswersWithTheChoices() throws Exception {
        CommandAdapter adapter = new CommandAdapter(gogo, components, log, context);
        ServiceReference<ShellCommands> other = commands(2, "other", OtherCommands.class, null);
        adapter.addCommands(commands(1, "demo", DemoCommands.class, null));
        adapter.addCommands(other);
        CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.put("SCOPE", "shell:*");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.execute("hello"));
        assertEquals("hello: more than one command has this name: demo:hello (say hello), other:hello (say hello); "
                + "type it with its scope", e.getMessage());

        adapter.removeCommands(other); // one left: the name is no longer ambiguous
        bytes.reset();
        session.execute("hello");
        assertEquals("hello world\n", bytes.toString(StandardCharsets.UTF_8));
        adapter.removeCommands(commands(1, "demo", DemoCommands.class, null));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> session.execute("hello"));
        assertEquals("hello: no command has this name now; help lists the commands", none.getMessage());
        adapter.addCommands(commands(3, "demo", DemoCommands.class, null)); // back, after its bundle's update
        bytes.reset();
        session.execute("hello --name again");
        assertEquals("hello again\n", bytes.toString(StandardCharsets.UTF_8));
        adapter.deactivate();
    }

    @Test
    void aNameGogoHasTooTypedWithoutItsScopeAnswersWithBoth() throws Exception {
        gogo.addCommand("felix", (org.apache.felix.service.command.Function) (session, args) -> "gogo's", "plain");
        CommandAdapter adapter = new CommandAdapter(gogo, components, log, context);
        adapter.addCommands(commands(1, "demo", DemoCommands.class, null));
        CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        session.put("SCOPE", "shell:*");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.execute("plain"));
        assertEquals("plain: more than one command has this name: demo:plain, felix:plain; type it with its scope",
                e.getMessage());
        adapter.deactivate();
    }

    @CommandScope("demo")
    public static final class LoudCommands implements ShellCommands {
        @Command(name = "hello", header = "say HELLO", description = "Says HELLO.")
        public CommandResult hello() {
            return CommandResult.plain("HELLO");
        }
    }

    /** DS's view of the commands service a function calls: {@code factory} decides what getService hands out. */
    static final class CommandObjects implements ServiceObjects<ShellCommands> {
        final Supplier<ShellCommands> factory;
        final List<ShellCommands> handedOut = new ArrayList<>();
        int returned;

        CommandObjects(Supplier<ShellCommands> factory) {
            this.factory = factory;
        }

        @Override
        public ShellCommands getService() {
            ShellCommands c = factory.get();
            handedOut.add(c);
            return c;
        }

        @Override
        public void ungetService(ShellCommands service) {
            assertTrue(handedOut.contains(service), "only what it handed out comes back");
            returned++;
        }

        @Override
        public ServiceReference<ShellCommands> getServiceReference() {
            throw new UnsupportedOperationException();
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void commandsDsCannotMakeAnswerThatTheyAreNotAvailableNotANullPointer() {
        // DS hands out null when the commands' service is there but cannot be activated (e.g. a service it
        // references refused its configuration)
        CommandFunction function = new CommandFunction("demo", "hello", "say hello", new CommandObjects(() -> null), 0,
                List::of);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call(function));
        assertEquals("demo:hello: not available now: a service it needs could not start (the reason is in "
                + "log/harmonix.log)", e.getMessage());
    }

    @Test
    void commandsDsCannotMakeNameTheComponentsWhoseActivationFailedAndWhy() {
        CommandFunction function = new CommandFunction("demo", "hello", "say hello", new CommandObjects(() -> null), 0,
                () -> List.of("io.harmonix.runner: poolSize = abc: expected a whole number"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call(function));
        assertEquals("demo:hello: not available now: a service it needs could not start: io.harmonix.runner: "
                + "poolSize = abc: expected a whole number (more in log/harmonix.log)", e.getMessage());
    }

    private String call(CommandFunction function, Object... args) throws Exception {
        bytes.reset();
        function.execute(List.of(args), out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCallParsesItsOwnArgumentsAndGivesTheServiceBack() throws Exception {
        DemoCommands demo = new DemoCommands();
        CommandObjects objects = new CommandObjects(() -> demo);
        CommandFunction function = new CommandFunction("demo", "hello", "say hello", objects, 0, List::of);
        assertEquals("hello ann\n", call(function, "--name", "ann"));
        assertEquals("hello world\n", call(function), "no option left over from the call before");
        assertEquals("{\n  \"hello\" : \"world\"\n}\n", call(function, "--json"));
        assertEquals(3, objects.returned);
    }

    @Test
    void helpAndBadArgumentsAnswerAsEveryCommandDoes() throws Exception {
        CommandObjects objects = new CommandObjects(DemoCommands::new);
        CommandFunction function = new CommandFunction("demo", "hello", "say hello", objects, 0, List::of);
        String usage = call(function, "--help");
        assertTrue(usage.startsWith("Usage: demo:hello [-h] [--json] [--name=<name>]\nSays hello; the long form.\n"),
                usage);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> call(function, 42));
        assertEquals("demo:hello: Unmatched argument at index 0: '42'\n" + usage, bad.getMessage());
        assertEquals(2, objects.returned, "the service is given back after a failure too");
    }
}
