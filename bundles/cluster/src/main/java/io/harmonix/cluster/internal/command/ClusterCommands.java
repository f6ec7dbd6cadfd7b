package io.harmonix.cluster.internal.command;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.cluster.api.LeaseInfo;
import io.harmonix.cluster.api.NodeInfo;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.sql.SQLException;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cluster:} commands: the nodes sharing this runtime's database and the leases they hold. Times are the
 * database's clock, as the leases count them. The component keeps no state between calls.
 */
@Component
@CommandScope("cluster")
public final class ClusterCommands implements ShellCommands {
    @Reference
    private ClusterNode cluster;

    @Command(name = "nodes", header = "the runtimes sharing this database, alive or not",
            description = "Lists every node the database has seen: its id, host, when it joined, its last heartbeat, "
                    + "whether it is alive (a heartbeat younger than a lease) and how many leases it holds. This "
                    + "runtime's node is marked with *.")
    public CommandResult nodes() throws SQLException {
        List<NodeInfo> all = cluster.nodes();
        Table t = new Table("NODE", "HOST", "JOINED", "LAST SEEN", "ALIVE", "LEASES").ifEmpty("no nodes");
        var json = Json.object().put("self", cluster.nodeId());
        var array = json.putArray("nodes");
        for (NodeInfo n : all) {
            t.row((n.id().equals(cluster.nodeId()) ? "* " : "") + n.id(), n.host(), n.startedAt(), n.lastSeen(),
                    n.alive() ? "yes" : "no", n.leases());
            array.add(Json.fields(n, "id", "host", "startedAt", "lastSeen", "alive", "leases"));
        }
        return CommandResult.of(t, json);
    }

    @Command(name = "leases", header = "the leases on work, by key, with owner and expiry",
            description = "Lists the leases on work: the key (wf:ID is a workflow instance), the node holding it "
                    + "(none: offered to the first node with room), its expiry and its state (held, expired: any node "
                    + "may claim it, offered).")
    public CommandResult leases(@Option(names = "--node", paramLabel = "NODE",
            description = "Only the leases this node holds.") String node) throws SQLException {
        List<LeaseInfo> all = cluster.leases().list().stream()
                .filter(l -> node == null || node.equals(l.owner())).toList();
        Table t = new Table("KEY", "OWNER", "EXPIRES", "STATE").ifEmpty(node == null ? "no leases"
                : "no leases held by " + node);
        return CommandResult.listing(t, all, (table, l) -> table.row(l.key(), l.owner() == null ? "-" : l.owner(),
                l.expiresAt(), state(l)), l -> Json.fields(l, "key", "owner", "expiresAt", "expired")
                        .put("state", state(l)));
    }

    private static String state(LeaseInfo l) {
        return l.owner() == null ? "offered" : l.expired() ? "expired" : "held";
    }
}
