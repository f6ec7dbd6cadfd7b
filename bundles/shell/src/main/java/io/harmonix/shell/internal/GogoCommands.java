package io.harmonix.shell.internal;

import java.util.Set;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandProcessor;

/**
 * Gogo's command table, which the shell reads and writes directly: Harmonix functions are added to Felix Gogo's
 * processor ({@code CommandProcessorImpl}, exported by gogo.runtime) rather than published as services, one per
 * command, which cost start-up time for nothing another bundle used.
 */
final class GogoCommands {
    private GogoCommands() {
    }

    /** @return Felix Gogo's processor, or an error saying that the shell needs it */
    static CommandProcessorImpl of(CommandProcessor processor) {
        if (processor instanceof CommandProcessorImpl gogo) {
            return gogo;
        }
        throw new IllegalStateException("the Harmonix shell needs Felix Gogo's command processor "
                + "(org.apache.felix.gogo.runtime); this one is " + processor.getClass().getName());
    }

    /** @return every command Gogo knows, {@code scope:function} in lower case */
    static Set<String> names(CommandProcessor processor) {
        return of(processor).getCommands();
    }
}
