package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.felix.service.command.Function;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.log.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whiteboard adapter and the function it publishes per command, without a framework. */
class CommandAdapterTest {
    @CommandName("demo:hello")
    @CommandSummary("say hello")
    @Command(description = "Says hello; the long form.")
    public static final class Hello implements ShellCommand {
        static final AtomicInteger MADE = new AtomicInteger();

        @Option(names = "--name", description = "Who.")
        String name = "world";

        public Hello() {
            MADE.incrementAndGet();
        }

        @Override
        public CommandResult call() {
            return CommandResult.of("hello " + name, Json.object().put("hello", name));
        }
    }

    /** A command service's properties, as DS registers them from the component's annotations. */
    @SuppressWarnings("unchecked")
    static ServiceReference<ShellCommand> command(long serviceId, String scope, String name, String summary,
            Integer ranking) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_ID, serviceId);
        props.put(Constants.SERVICE_SCOPE, scope);
        props.put(CommandName.PROPERTY, name);
        if (summary != null) {
            props.put(CommandSummary.PROPERTY, summary);
        }
        if (ranking != null) {
            props.put(Constants.SERVICE_RANKING, ranking);
        }
        return (ServiceReference<ShellCommand>) Proxy.newProxyInstance(CommandAdapterTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> props.get((String) args[0]);
                    case "getBundle" -> null;
                    case "toString" -> "reference " + props;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** DS's factory of {@link CommandFunction}s: records each configuration and whether it was disposed. */
    static final class Functions implements ComponentFactory<Function> {
        final List<Dictionary<String, ?>> made = new ArrayList<>();
        final List<Boolean> disposed = new ArrayList<>();

        @Override
        public ComponentInstance<Function> newInstance(Dictionary<String, ?> properties) {
            int index = made.size();
            made.add(properties);
            disposed.add(false);
            return new ComponentInstance<>() {
                @Override
                public void dispose() {
                    disposed.set(index, true);
                }

                @Override
                public Function getInstance() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    private final List<String> errors = new ArrayList<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("error")) {
                    errors.add(String.valueOf(args[0]));
                }
                return null;
            });

    @Test
    void eachCommandGetsAFunctionNamedByItsOwnNameAndLosesItWhenItGoes() {
        Functions functions = new Functions();
        CommandAdapter adapter = new CommandAdapter(functions, log);
        ServiceReference<ShellCommand> hello = command(41, Constants.SCOPE_PROTOTYPE, "demo:hello", "say hello",
                null);
        ServiceReference<ShellCommand> plain = command(42, Constants.SCOPE_PROTOTYPE, "demo:plain", null, 5);
        adapter.addCommand(hello);
        adapter.addCommand(plain);

        assertEquals(2, functions.made.size());
        Dictionary<String, ?> first = functions.made.get(0);
        assertEquals("demo", first.get("osgi.command.scope"));
        assertEquals("hello", first.get("osgi.command.function"));
        assertEquals("say hello", first.get(CommandFunction.SUMMARY));
        assertEquals("(service.id=41)", first.get(CommandFunction.COMMAND_TARGET));
        assertNull(first.get(Constants.SERVICE_RANKING));
        Dictionary<String, ?> second = functions.made.get(1);
        assertEquals("plain", second.get("osgi.command.function"));
        assertEquals("", second.get(CommandFunction.SUMMARY));
        assertEquals(5, second.get(Constants.SERVICE_RANKING));

        adapter.removeCommand(hello);
        assertEquals(List.of(true, false), functions.disposed);
        adapter.deactivate();
        assertEquals(List.of(true, true), functions.disposed);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aCommandThatIsNotPrototypeScopedOrNamesNoScopeGetsNoFunction() {
        Functions functions = new Functions();
        CommandAdapter adapter = new CommandAdapter(functions, log);
        adapter.addCommand(command(1, Constants.SCOPE_SINGLETON, "demo:hello", null, null));
        adapter.addCommand(command(2, Constants.SCOPE_PROTOTYPE, "hello", null, null));
        adapter.addCommand(command(3, Constants.SCOPE_PROTOTYPE, null, null, null));
        assertTrue(functions.made.isEmpty());
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("must have prototype scope"), errors.get(0));
        assertTrue(errors.get(1).contains("needs @CommandName(\"scope:function\")"), errors.get(1));
        adapter.removeCommand(command(1, Constants.SCOPE_SINGLETON, "demo:hello", null, null));
        assertTrue(functions.disposed.isEmpty());
    }

    /** DS's view of one command service: a new instance for each getService, as for a prototype-scope service. */
    static final class CommandObjects implements ComponentServiceObjects<ShellCommand> {
        final Supplier<ShellCommand> factory;
        final List<ShellCommand> handedOut = new ArrayList<>();
        int returned;

        CommandObjects(Supplier<ShellCommand> factory) {
            this.factory = factory;
        }

        @Override
        public ShellCommand getService() {
            ShellCommand c = factory.get();
            handedOut.add(c);
            return c;
        }

        @Override
        public void ungetService(ShellCommand service) {
            assertTrue(handedOut.contains(service), "only instances it handed out come back");
            returned++;
        }

        @Override
        public ServiceReference<ShellCommand> getServiceReference() {
            throw new UnsupportedOperationException();
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static final Map<String, Object> HELLO = Map.of("osgi.command.scope", "demo",
            "osgi.command.function", "hello");

    @Test
    void aCommandDsCannotMakeAnswersThatItIsNotAvailableNotANullPointer() {
        // DS hands out null when the command's service is there but cannot be activated (e.g. a service it
        // references refused its configuration)
        CommandFunction function = new CommandFunction(new CommandObjects(() -> null), HELLO);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call(function));
        assertEquals("demo:hello: not available now: a service it needs could not start (the reason is in "
                + "log/harmonix.log)", e.getMessage());
    }

    private String call(CommandFunction function, Object... args) throws Exception {
        bytes.reset();
        function.execute(List.of(args), out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCallRunsAFreshInstanceAndGivesItBack() throws Exception {
        CommandObjects hello = new CommandObjects(Hello::new);
        CommandFunction function = new CommandFunction(hello, HELLO);
        int before = Hello.MADE.get();
        assertEquals("hello ann\n", call(function, "--name", "ann"));
        assertEquals("hello world\n", call(function), "no option left over from the call before");
        assertEquals("{\n  \"hello\" : \"world\"\n}\n", call(function, "--json"));
        assertEquals(3, Hello.MADE.get() - before);
        assertEquals(3, hello.handedOut.stream().distinct().count());
        assertEquals(3, hello.returned);
    }

    @Test
    void helpAndBadArgumentsAnswerAsEveryCommandDoes() throws Exception {
        CommandObjects hello = new CommandObjects(Hello::new);
        CommandFunction function = new CommandFunction(hello, HELLO);
        String usage = call(function, "--help");
        assertTrue(usage.startsWith("Usage: demo:hello [-h] [--json] [--name=<name>]\nSays hello; the long form.\n"),
                usage);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> call(function, 42));
        assertEquals("demo:hello: Unmatched argument at index 0: '42'\n" + usage, bad.getMessage());
        assertEquals(2, hello.returned, "an instance is given back after a failure too");
    }
}
