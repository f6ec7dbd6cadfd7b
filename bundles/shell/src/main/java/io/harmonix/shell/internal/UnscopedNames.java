package io.harmonix.shell.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * A command typed without its scope ({@code runs}) is looked up by Gogo in the session's {@code SCOPE}, which the
 * shell's sessions start with {@value #SCOPE}: for each Harmonix command name, a function there finds, at the
 * call, the command or commands of that name. One calls it; several (a name two capabilities share:
 * {@code cycle:runs} and {@code index:runs}, or one Gogo has too: {@code cycle:stop} and {@code felix:stop}) answer
 * with the choices, instead of whichever Gogo would have found first ({@code *} is in no set order).
 *
 * <p>A name's function stays once added, even when no command has the name any more (it then says so): Gogo keeps
 * a name it once had, with nobody behind it, and a lookup that meets it stops there, so taking the function out
 * would leave the name unusable without its scope.
 */
final class UnscopedNames {
    static final String SCOPE = "shell";

    private final CommandProcessorImpl processor;
    private final Map<String, CommandFunction> commands;
    /** The function in Gogo's table for each name. */
    private final Map<String, Function> registered = new ConcurrentHashMap<>();
    /**
     * Every Harmonix command ever added, {@code scope:name}: Gogo's table keeps their names after they go, and
     * such a name is not another command.
     */
    private final Set<String> harmonix = ConcurrentHashMap.newKeySet();

    /** @param commands every Harmonix command by {@code scope:name}, as it is at each call */
    UnscopedNames(CommandProcessorImpl processor, Map<String, CommandFunction> commands) {
        this.processor = processor;
        this.commands = commands;
    }

    /** Adds the names of commands added since the last call; the shell's own ({@code exit}) need none. */
    synchronized void update() {
        Set<String> own = commands.values().stream().filter(f -> f.scope().equals(SCOPE)).map(CommandFunction::name)
                .collect(Collectors.toSet());
        for (CommandFunction f : commands.values()) {
            harmonix.add(f.fullName());
            if (!own.contains(f.name()) && !registered.containsKey(f.name())) {
                Function find = (session, arguments) -> call(f.name(), session, arguments);
                registered.put(f.name(), find);
                processor.addCommand(SCOPE, find, f.name());
            }
        }
    }

    private Object call(String name, CommandSession session, List<Object> arguments) throws Exception {
        List<CommandFunction> named = commands.values().stream().filter(f -> f.name().equals(name)).toList();
        // Gogo's own commands of that name (felix:stop beside cycle:stop): not Harmonix's, not this shell's
        List<String> others = processor.getCommands().stream().filter(c -> c.endsWith(":" + name)
                && !c.startsWith(SCOPE + ":") && !harmonix.contains(c)).sorted().toList();
        if (named.size() == 1 && others.isEmpty()) {
            return named.get(0).execute(session, arguments);
        }
        if (named.isEmpty() && others.isEmpty()) {
            throw new IllegalArgumentException(name + ": no command has this name now; help lists the commands");
        }
        throw new IllegalArgumentException(name + ": more than one command has this name: " + java.util.stream.Stream
                .concat(named.stream().map(f -> f.fullName() + (f.summary().isEmpty() ? "" : " (" + f.summary() + ")")),
                        others.stream())
                .collect(Collectors.joining(", ")) + "; type it with its scope");
    }

    synchronized void clear() {
        registered.forEach((name, find) -> processor.removeCommand(SCOPE, name, find));
        registered.clear();
    }
}
