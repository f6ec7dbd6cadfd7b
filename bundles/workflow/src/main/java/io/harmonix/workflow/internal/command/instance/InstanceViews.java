package io.harmonix.workflow.internal.command.instance;

import io.harmonix.shell.api.CommandResult;
import io.harmonix.workflow.api.InstanceInfo;
import java.util.Locale;

/** How an instance reads after a command changed it. */
final class InstanceViews {
    private InstanceViews() {
    }

    /** @return {@code instance ID: state}, the same with {@code --json} (as these commands always answered) */
    static CommandResult stateLine(InstanceInfo i) {
        return CommandResult.plain("instance " + i.id() + ": " + i.state().name().toLowerCase(Locale.ROOT));
    }
}
