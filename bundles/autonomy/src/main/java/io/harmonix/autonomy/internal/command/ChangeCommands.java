package io.harmonix.autonomy.internal.command;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.internal.change.ChangeDetails;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.SessionUser;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code change:list}, {@code change:show ID} and {@code change:approve ID}: the controller's change requests. */
@Component
@CommandScope("change")
public final class ChangeCommands implements ShellCommands {
    @Reference
    private ChangeDetails changes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CheckHistory checks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DecisionLog decisions;

    @Command(name = "list", header = "list the change requests",
            description = "The change requests, newest first: id, repository, state, risk, items, branch, the SHA "
                    + "verified and the title.")
    public CommandResult list(
            @Option(names = "--state", paramLabel = "STATE", description = "Only requests in this state: DRAFT, "
                    + "OPEN, VERIFIED, FAILED, AWAITING_APPROVAL, SHIPPED, REFUSED, CLOSED.") ChangeState state,
            @Option(names = "--repo", paramLabel = "REPO", description = "Only this repository's.") String repo) {
        return CommandResult.listing(new Table("ID", "REPO", "STATE", "RISK", "ITEMS", "BRANCH", "VERIFIED", "TITLE")
                .ifEmpty("no change requests" + (state == null && repo == null ? "" : " match")),
                changes.changes(state, repo), (t, c) -> t.row(c.id(), c.repo(), c.state(), c.risk().json(),
                        c.itemIds().size(), c.branch(), ChangeViews.abbrev(c.verifiedCommit()), c.title()),
                ChangeViews::json);
    }

    @Command(name = "show", header = "show one change request",
            description = "A change request: its items, base, head and verified commits, state and why, each "
                    + "required check with the SHA it ran on and its result, the decisions about it, and its diff.")
    public CommandResult show(@Parameters(paramLabel = "ID", description = "The change request.") long id) {
        ChangeRequest c = changes.change(id).orElseThrow(() -> new NoSuchElementException("change:show: no change "
                + "request " + id + " (change:list shows them)"));
        List<Decision> made = new ArrayList<>();
        DecisionLog log = decisions;
        for (String d : c.decisionIds()) {
            if (log != null) {
                log.decision(d).ifPresent(made::add);
            }
        }
        return ChangeViews.show(c, changes.checks(id), changes.note(id), made, checks, changes.diff(id));
    }

    @Command(name = "approve", header = "approve a high or critical risk change request",
            description = "Records a person's approval (a decision, with who and why) of a verified change request "
                    + "that waits for one; SHIP then applies the same checks as to any other.")
    public CommandResult approve(@Parameters(paramLabel = "ID", description = "The change request.") long id,
            @Option(names = "--reason", required = true, paramLabel = "WHY", description = "Why it may ship.")
            String reason,
            @Option(names = {"--as", "--by"}, paramLabel = "NAME", description = "Who approves (recorded); required "
                    + "where the session has no user (exec mode).") String as) {
        String who = SessionUser.require(as);
        ChangeRequest c;
        try {
            c = changes.approve(id, who, reason);
        } catch (IllegalStateException | IllegalArgumentException | NoSuchElementException e) {
            throw new IllegalStateException("change:approve: " + e.getMessage(), e);
        }
        return CommandResult.of("change " + id + " approved by " + c.approvedBy() + ": " + c.approvalReason()
                + " (decision " + c.decisionIds().get(c.decisionIds().size() - 1) + "); it is now " + c.state(),
                ChangeViews.json(c));
    }
}
