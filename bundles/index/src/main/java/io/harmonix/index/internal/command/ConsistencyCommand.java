package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.Proofs;
import io.harmonix.shell.api.CommandName;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandSummary;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:consistency")
@CommandSummary("proof that the log only grew between two sizes")
@Command(description = "Prints the RFC 9162 consistency proof that the log of "
        + "OLD-SIZE records is a prefix of the log of NEW-SIZE records: it only grew.")
public final class ConsistencyCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Parameters(index = "0", paramLabel = "OLD-SIZE")
    long oldSize;

    @Parameters(index = "1", paramLabel = "NEW-SIZE")
    long newSize;

    @Activate
    public ConsistencyCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        Proofs.Consistency c = index.consistency(namespace.orLocal(index), oldSize, newSize);
        ObjectNode json = Json.object().put("oldSize", c.oldSize()).put("newSize", c.newSize())
                .put("oldRoot", c.oldRoot()).put("newRoot", c.newRoot());
        c.path().forEach(json.putArray("path")::add);
        return CommandResult.of("old root (" + c.oldSize() + ") " + c.oldRoot() + "\n"
                + "new root (" + c.newSize() + ") " + c.newRoot() + "\n" + IndexViews.pathLines(c.path()), json);
    }
}
