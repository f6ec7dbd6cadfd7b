package io.harmonix.index.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.VerifyReport;
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

@Component(service = ShellCommand.class, scope = ServiceScope.PROTOTYPE)
@CommandName("index:verify")
@CommandSummary("re-check every CRC, the Merkle tree and the manifests")
@Command(description = "Re-reads every record of each namespace (or one): lengths, "
        + "CRC32C, Merkle leaves and root, manifest. Names the first bad record; fails when there is one.")
public final class VerifyCommand implements ShellCommand {
    private final CycleIndex index;

    @Mixin
    NamespaceOption namespace;

    @Activate
    public VerifyCommand(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public CommandResult call() throws Exception {
        StringBuilder text = new StringBuilder();
        ArrayNode json = Json.array();
        int bad = 0;
        for (String ns : namespace.orEvery(index)) {
            VerifyReport r = index.verify(ns);
            text.append(r.namespace()).append(": ").append(r.ok() ? "ok" : "BAD").append(", ").append(r.records())
                    .append(" records, ").append(r.bytes()).append(" bytes")
                    .append(r.problem() == null ? "" : ": " + r.problem()).append('\n');
            json.addObject().put("namespace", r.namespace()).put("records", r.records()).put("bytes", r.bytes())
                    .put("ok", r.ok()).put("problem", r.problem());
            bad += r.ok() ? 0 : 1;
        }
        CommandResult result = CommandResult.of(text.toString(), json);
        return bad == 0 ? result : result.failingWith(new IllegalStateException("index:verify: " + bad
                + " namespace(s) failed verification"));
    }
}
