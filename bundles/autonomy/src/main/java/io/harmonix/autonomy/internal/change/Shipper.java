package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.Policy;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.autonomy.internal.crash.CrashPoints;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.CheckRecord;
import io.harmonix.proposals.api.EnhancementLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * SHIP, the only code that moves a main branch. In order: finish a ship a crash interrupted (or go on with it, or
 * abandon it); re-verify once per run when main moved since verification; decide with {@link #decide} and record the
 * decision (durable in the index when it returns); only then note the ship as pending and move main by fast-forward
 * with compare-and-swap against the main that was verified, to the very candidate the checks ran on (it carries its
 * {@code TAP-DECISION} trailer since VERIFY, see {@link Verifier}). Never a force-move, never update-ref without the
 * expected old value, never a branch checked out in a worktree (the user's files and index are never touched: no
 * status, read-tree or checkout runs in them).
 */
final class Shipper {
    /** The policies a ship decision evaluates (those the policy file has). */
    static final List<String> SHIP_POLICIES = List.of("P-001", "P-003", "P-004", "G-02", "G-08");
    private static final Set<ChangeState> SHIPPABLE = Set.of(ChangeState.VERIFIED, ChangeState.REFUSED);

    private final Parts parts;
    private final Verifier verifier;
    private final BiFunction<LocalDate, ZoneId, Integer> shippedOn;
    /** Called at {@code decided} and {@code moved} ({@link CrashPoints}): where a crash is tested. */
    private volatile Consumer<String> crashPoint = CrashPoints::reach;

    Shipper(Parts parts, Verifier verifier, BiFunction<LocalDate, ZoneId, Integer> shippedOn) {
        this.parts = parts;
        this.verifier = verifier;
        this.shippedOn = shippedOn;
    }

    void crashPoint(Consumer<String> point) {
        this.crashPoint = point;
    }

    synchronized ShipOutcome ship(long id, Toggles toggles, String runId) {
        try {
            ChangeStore.Stored s = stored(id);
            Git git = parts.git(s.request().repo());
            String mainRef = git.mainRef();
            String main = git.main();
            if (s.state() == ChangeState.SHIPPED) {
                return new ShipOutcome(s.request(), false, last(s), main, main);
            }
            if (s.pendingCommit() != null) {
                if (git.isAncestor(s.pendingCommit(), main)) {
                    // main moved before the crash: the ship happened; finish it under its own decision
                    Decision d = pending(s);
                    return new ShipOutcome(finish(s, s.pendingCommit(), d), true, d, s.pendingOld(), main);
                }
                String hold = s.pendingOld().equals(main) ? heldBack(toggles, git, mainRef) : "main moved to "
                        + abbrev(main);
                if (hold == null) {
                    // the crash came between the decision and the ref update, and nothing it decided on changed:
                    // the ship goes on under that decision (one decision, one move)
                    parts.log().accept("change " + id + ": going on with the ship decided by "
                            + s.pendingDecision());
                    return move(s, git, mainRef, pending(s), s.pendingCommit(), s.pendingOld(), toggles, runId);
                }
                parts.log().accept("change " + id + ": the ship decided by " + s.pendingDecision()
                        + " did not move main (" + parts.mask(hold) + "); deciding again");
                clearPending(id);
                s = stored(id);
            }
            boolean moved = s.request().verifiedCommit() != null && !main.equals(s.verifiedBase());
            if (moved && SHIPPABLE.contains(s.state()) && (runId == null || !runId.equals(s.reverifiedRun()))) {
                Changes.sql(() -> parts.store().update(id, null, Map.of("REVERIFIED_RUN",
                        runId == null ? "" : runId)));
                s = verifier.verify(id, runId);
                main = git.main();
            }
            Decision d = decide(s, toggles, runId, git, main);
            if (!d.allowed()) {
                refuse(s, d.reasons());
                return new ShipOutcome(stored(id).request(), false, d, main, main);
            }
            // the candidate itself ships: the commit the checks ran on, its trailer put there before VERIFY
            String shipped = s.request().verifiedCommit();
            String expected = main;
            Changes.sql(() -> parts.store().update(id, null, Map.of("PENDING_DECISION", d.id(), "PENDING_COMMIT",
                    shipped, "PENDING_OLD", expected)));
            crashPoint.accept("decided");
            return move(stored(id), git, mainRef, d, shipped, expected, toggles, runId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fast-forwards main from {@code expected} to {@code shipped} under decision {@code d}, then finishes. */
    private ShipOutcome move(ChangeStore.Stored s, Git git, String mainRef, Decision d, String shipped,
            String expected, Toggles toggles, String runId) throws IOException {
        String why = Commits.fastForward(git, mainRef, shipped, expected, "harmonix: ship change " + s.id()
                + " (decision " + d.id() + ")");
        if (why != null) {
            Decision refused = record(s, List.of("main was not moved: " + why), "refused", runId, toggles, expected);
            clearPending(s.id());
            refuse(stored(s.id()), refused.reasons());
            return new ShipOutcome(stored(s.id()).request(), false, refused, expected, git.commit(mainRef));
        }
        crashPoint.accept("moved");
        return new ShipOutcome(finish(stored(s.id()), shipped, d), true, d, expected, git.commit(mainRef));
    }

    /**
     * @return the pending ship's decision
     * @throws IllegalStateException naming it when the decision log cannot give it back (the ship is then neither
     *     finished nor repeated: the next ship of the change settles it once the record can be read)
     */
    private Decision pending(ChangeStore.Stored s) {
        return parts.decisionLog().decision(s.pendingDecision()).orElseThrow(() -> new IllegalStateException(
                "change " + s.id() + ": the ship under way (main to " + abbrev(s.pendingCommit()) + ") was decided by "
                        + s.pendingDecision() + ", which the decision log cannot give back; not finished"));
    }

    /**
     * @return null when the toggles in force still let a decided ship go on and main may still move, else why not
     *     (a break-glass switch thrown between a crash and the restart stops the interrupted ship too)
     */
    private String heldBack(Toggles t, Git git, String mainRef) throws IOException {
        if (!t.enabled() || !t.automergeEnabled() || t.quarantineMode()) {
            return "the toggles in force stop it";
        }
        return checkedOut(git, mainRef);
    }

    /**
     * The one function that decides: every condition of a ship checked, the decision recorded with each failed one
     * as a reason (or that all hold). It returns only once the decision is durable; it throws, and nothing moves,
     * when it cannot be recorded.
     */
    Decision decide(ChangeStore.Stored s, Toggles t, String runId, Git git, String main) throws IOException {
        List<String> reasons = new ArrayList<>();
        ChangeRequest c = s.request();
        if (!t.enabled()) {
            reasons.add("autonomy is disabled (enabled=false)");
        }
        if (!t.automergeEnabled()) {
            reasons.add("automerge is disabled (automergeEnabled=false)");
        }
        if (t.quarantineMode()) {
            reasons.add("quarantine mode is on" + (t.quarantineReason() == null ? "" : ": " + t.quarantineReason()));
        }
        switch (c.state()) {
            case DRAFT -> reasons.add("a draft never ships (opened in quarantine mode)");
            case FAILED -> reasons.add("its verification failed: " + s.note());
            case OPEN -> reasons.add("it was never verified");
            case CLOSED -> reasons.add("it is closed");
            default -> { }
        }
        String sha = c.verifiedCommit();
        if (c.risk().needsApproval() && c.approvedBy() == null) {
            reasons.add("risk " + c.risk().json() + " needs a person's approval (change:approve " + c.id() + ")");
        } else if (c.risk().needsApproval() && !Verifier.approvedAs(s, sha)) {
            reasons.add("the approval by " + c.approvedBy() + " was for " + abbrev(s.approvedCommit()) + ", not for "
                    + "the candidate " + abbrev(sha) + " (change:approve " + c.id() + ")");
        }
        reasons.addAll(redChecks(s, sha));
        int today = shippedOn.apply(LocalDate.now(t.zone()), t.zone());
        if (today >= t.maxChangesPerDay()) {
            reasons.add("daily cap reached: " + today + " shipped today (" + t.zone() + ") of maxChangesPerDay "
                    + t.maxChangesPerDay());
        }
        if (sha != null && !main.equals(s.verifiedBase())) {
            reasons.add("main moved from the verified base " + abbrev(s.verifiedBase()) + " to " + abbrev(main)
                    + (runId != null && runId.equals(s.reverifiedRun()) ? " and was re-verified once in run " + runId
                            + " already" : ""));
        } else if (sha != null && !git.isAncestor(main, sha)) {
            reasons.add("not a fast-forward: " + abbrev(sha) + " does not descend from main " + abbrev(main));
        } else if (sha != null && !git.answer(Map.of(), null, "merge-tree", "--write-tree", main, sha).ok()) {
            reasons.add("the three-way merge of " + abbrev(sha) + " into main " + abbrev(main) + " is not clean");
        }
        String tree = checkedOut(git, git.mainRef());
        if (tree != null) {
            reasons.add(tree);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("shipped_today", today);
        extra.put("candidate_decision", String.valueOf(s.candidateDecision()));
        return record(s, reasons, reasons.isEmpty() ? "allowed" : "refused", runId, t, main, extra);
    }

    /**
     * @return null when main is checked out in no worktree of the repository, else why it may not move: moving a
     *     checked-out branch leaves that worktree's index and files against a commit they were not made on (git
     *     status then shows the shipped change reverted, and the next {@code commit -a} there undoes it); and
     *     bringing them along would run the repository's filters in the user's tree
     */
    static String checkedOut(Git git, String mainRef) throws IOException {
        String worktree = git.checkedOutIn(mainRef);
        return worktree == null ? null : mainRef + " is checked out in the working tree " + worktree + ": the "
                + "controller never moves a branch under a working tree (make the repository bare, or check out "
                + "another branch there)";
    }

    /** @return why each required check is not green on the SHA: missing, red, another SHA, no record */
    private List<String> redChecks(ChangeStore.Stored s, String sha) {
        List<String> red = new ArrayList<>();
        if (sha == null) {
            return red;
        }
        CheckHistory history = parts.history().get();
        for (String name : parts.settings().get().checks().of(s.request().repo())) {
            Optional<ChangeStore.Check> k = s.checks().stream().filter(x -> x.name().equals(name)).findFirst();
            if (k.isEmpty()) {
                red.add("required check '" + name + "' is missing on " + abbrev(sha));
            } else if (!k.get().green() || !sha.equals(k.get().commit())) {
                red.add("required check '" + name + "' is red on " + abbrev(sha) + ": " + k.get().detail());
            } else {
                Optional<CheckRecord> r = history == null ? Optional.empty() : history.check(k.get().checkId());
                // a record of another repository (a fork shares its SHAs) or of another command does not count
                if (r.isEmpty() || !r.get().passed() || !sha.equals(r.get().commit())
                        || !s.request().repo().equals(r.get().repository())
                        || !("verify:" + name).equals(r.get().kind())) {
                    red.add("required check '" + name + "': no passed record #" + k.get().checkId() + " of "
                            + s.request().repo() + " 'verify:" + name + "' on " + sha);
                }
            }
        }
        return red;
    }

    private Decision record(ChangeStore.Stored s, List<String> reasons, String outcome, String runId, Toggles t,
            String main) {
        return record(s, reasons, outcome, runId, t, main, Map.of());
    }

    private Decision record(ChangeStore.Stored s, List<String> reasons, String outcome, String runId, Toggles t,
            String main, Map<String, Object> extra) {
        ChangeRequest c = s.request();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("change", c.id());
        in.put("repo", c.repo());
        in.put("title", c.title());
        in.put("items", String.join(",", c.itemIds()));
        in.put("risk", c.risk().json());
        in.put("state", c.state().name());
        in.put("verified_commit", String.valueOf(c.verifiedCommit()));
        in.put("verified_base", String.valueOf(s.verifiedBase()));
        in.put("main", main);
        in.put("checks", String.join(", ", s.checks().stream().map(k -> k.name() + "=" + (k.green() ? "green" : "red")
                + (k.checkId() == null ? "" : " #" + k.checkId()) + " on " + abbrev(k.commit())).toList()));
        in.put("approved_by", String.valueOf(c.approvedBy()));
        in.put("toggles", "enabled=" + t.enabled() + " automergeEnabled=" + t.automergeEnabled()
                + " quarantineMode=" + t.quarantineMode() + " maxChangesPerDay=" + t.maxChangesPerDay() + " zone="
                + t.zone());
        in.putAll(extra);
        Map<String, Object> masked = new LinkedHashMap<>();
        in.forEach((k, v) -> masked.put(k, v instanceof String text ? parts.mask(text) : v));
        List<String> why = reasons.isEmpty() ? List.of("every condition holds") : reasons;
        DecisionLog log = parts.decisionLog();
        Decision d = log.record("ship", policies(log, SHIP_POLICIES), masked, outcome,
                why.stream().map(parts::mask).toList(), runId);
        Changes.sql(() -> {
            parts.store().addDecision(c.id(), d.id());
            return true;
        });
        return d;
    }

    /** @return those of {@code wanted} the policy file has (recording an unknown one is refused) */
    static List<String> policies(DecisionLog log, List<String> wanted) {
        Set<String> known = new java.util.HashSet<>(log.policies().stream().map(Policy::id).toList());
        return wanted.stream().filter(known::contains).toList();
    }

    /**
     * A verified change refused becomes REFUSED, the reasons its note; one waiting for approval keeps its state with
     * the reasons; a draft, a failed or an unverified one keeps its state and the note its verification left.
     */
    private void refuse(ChangeStore.Stored s, List<String> reasons) {
        Map<String, Object> set = new HashMap<>();
        set.put("NOTE", ChangeStore.clip(parts.mask(String.join("; ", reasons)), 8000));
        if (SHIPPABLE.contains(s.state())) {
            set.put("STATE", ChangeState.REFUSED.name());
        } else if (s.state() != ChangeState.AWAITING_APPROVAL) {
            return;
        }
        Changes.sql(() -> parts.store().update(s.id(), null, set));
    }

    private ChangeRequest finish(ChangeStore.Stored s, String shipped, Decision d) {
        Map<String, Object> set = new HashMap<>();
        set.put("STATE", ChangeState.SHIPPED.name());
        set.put("SHIPPED_COMMIT", shipped);
        set.put("SHIPPED_AT", d.at());
        set.put("PENDING_DECISION", null);
        set.put("PENDING_COMMIT", null);
        set.put("PENDING_OLD", null);
        set.put("NOTE", "shipped as " + shipped);
        Changes.sql(() -> parts.store().update(s.id(), null, set));
        EnhancementLedger ledger = parts.enhancements().get();
        for (ChangeStore.Item item : s.items()) {
            if (item.enhancementId() != 0 && ledger != null) {
                try {
                    ledger.markApplied(item.enhancementId(), shipped);
                } catch (RuntimeException e) {
                    parts.log().accept("change " + s.id() + ": enhancement " + item.enhancementId()
                            + " not marked applied: " + parts.mask(e.getMessage()));
                }
            }
        }
        parts.log().accept("change " + s.id() + " of " + s.request().repo() + " shipped: main is " + shipped);
        return stored(s.id()).request();
    }

    private void clearPending(long id) {
        Map<String, Object> set = new HashMap<>();
        set.put("PENDING_DECISION", null);
        set.put("PENDING_COMMIT", null);
        set.put("PENDING_OLD", null);
        Changes.sql(() -> parts.store().update(id, null, set));
    }

    private Decision last(ChangeStore.Stored s) {
        List<String> ids = s.request().decisionIds();
        return ids.isEmpty() ? null : parts.decisionLog().decision(ids.get(ids.size() - 1)).orElse(null);
    }

    private ChangeStore.Stored stored(long id) {
        return Changes.sql(() -> parts.store().get(id))
                .orElseThrow(() -> new NoSuchElementException("no change request " + id));
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
