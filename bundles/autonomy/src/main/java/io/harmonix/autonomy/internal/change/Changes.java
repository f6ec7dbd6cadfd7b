package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.Decision;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.Risk;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The change requests: {@link #open} makes their commits on {@code harmonix/<item-id>} branches, {@link Verifier}
 * checks them, {@link Shipper} is the one code that moves a main branch.
 */
public final class Changes implements ChangeDetails {
    private final Parts parts;
    private final Verifier verifier;
    private final Shipper shipper;

    Changes(Parts parts) {
        this.parts = parts;
        this.verifier = new Verifier(parts);
        this.shipper = new Shipper(parts, verifier, this::shippedOn);
    }

    Shipper shipper() {
        return shipper;
    }

    @Override
    public List<ChangeRequest> changes(ChangeState state, String repo) {
        return sql(() -> parts.store().list(state, repo).stream().map(ChangeStore.Stored::request).toList());
    }

    @Override
    public List<ChangeRequest> changes(ChangeState state, String repo, int offset, int limit) {
        ChangeRequests.checkPage(offset, limit);
        return sql(() -> parts.store().list(state, repo, offset, limit).stream().map(ChangeStore.Stored::request)
                .toList());
    }

    @Override
    public Optional<ChangeRequest> change(long id) {
        return stored(id).map(ChangeStore.Stored::request);
    }

    Optional<ChangeStore.Stored> stored(long id) {
        return sql(() -> parts.store().get(id));
    }

    @Override
    public List<CheckLine> checks(long id) {
        return stored(id).map(s -> s.checks().stream().map(k -> new CheckLine(k.name(), k.commit(), k.checkId(),
                k.green(), k.detail())).toList()).orElse(List.of());
    }

    @Override
    public String note(long id) {
        return stored(id).map(ChangeStore.Stored::note).orElse("");
    }

    @Override
    public String diff(long id) {
        ChangeRequest c = change(id).orElseThrow(() -> new NoSuchElementException("no change request " + id));
        try {
            return Commits.diff(parts.git(c.repo()), c.baseCommit(), c.headCommit());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized List<ChangeRequest> open(List<PlannedChange> planned, boolean draft, String runId) {
        Map<String, List<PlannedChange>> groups = new LinkedHashMap<>();
        for (PlannedChange p : planned) {
            String key = p.repo() + "\u0000" + (p.groupKey() == null ? "item:" + p.itemId() : "group:" + p.groupKey());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        List<ChangeRequest> made = new ArrayList<>();
        for (List<PlannedChange> group : groups.values()) {
            Optional<ChangeStore.Stored> existing = Optional.empty();
            for (PlannedChange p : group) {
                existing = existing.isPresent() ? existing : sql(() -> parts.store().openWith(p.itemId()));
            }
            if (existing.isPresent()) {
                ChangeRequest request = existing.get().request();
                if (!draft && request.state() == ChangeState.DRAFT) {
                    // quarantine lifted: the draft becomes a request like any other, verified and shipped under
                    // the same conditions (nothing of it was ever shipped)
                    long id = request.id();
                    sql(() -> parts.store().update(id, ChangeState.DRAFT, Map.of("STATE", ChangeState.OPEN)));
                    request = sql(() -> parts.store().get(id)).orElseThrow().request();
                }
                made.add(request);
                continue;
            }
            openGroup(group, draft, runId).ifPresent(made::add);
        }
        return made;
    }

    /**
     * Makes one request of the group: every item's change applied in turn on main, one commit. An item whose change
     * does not apply is left out (logged, the others go on); a group none of whose items applies makes no request.
     */
    private Optional<ChangeRequest> openGroup(List<PlannedChange> group, boolean draft, String runId) {
        String repo = group.get(0).repo();
        try {
            Git git = parts.git(repo);
            String main = git.commit(git.mainRef());
            if (main == null) {
                parts.log().accept("change: no request for " + repo + ": it has no branch " + git.mainRef()
                        + " (the controller ships to " + git.mainRef() + " only, whatever HEAD names)");
                return Optional.empty();
            }
            List<PlannedChange> applied = new ArrayList<>(group);
            String head = null;
            while (head == null && !applied.isEmpty()) {
                try {
                    List<Commits.Patch> patches = new ArrayList<>();
                    for (PlannedChange p : applied) {
                        patches.add(new Commits.Patch(p.itemId(), patch(git, p)));
                    }
                    head = Commits.commit(git, main, patches, message(applied, runId), parts.bot());
                } catch (Commits.Conflict c) {
                    parts.log().accept("change: item " + c.itemId() + " of " + repo + " left out: "
                            + parts.mask(c.getMessage()));
                    applied.removeIf(p -> p.itemId().equals(c.itemId()));
                } catch (IllegalArgumentException | IllegalStateException | NoSuchElementException e) {
                    String item = e.getMessage().split(":", 2)[0];
                    parts.log().accept("change: item " + item + " of " + repo + " left out: "
                            + parts.mask(e.getMessage()));
                    applied.removeIf(p -> p.itemId().equals(item));
                }
            }
            if (head == null) {
                return Optional.empty();
            }
            String branch = "harmonix/" + applied.get(0).itemId();
            String old = git.commit("refs/heads/" + branch);
            String why = Commits.compareAndSwap(git, "refs/heads/" + branch, head, old == null ? Git.ZERO : old,
                    "harmonix: change request of " + applied.size() + " item(s)");
            if (why != null) {
                throw new IllegalStateException("change: branch " + branch + " of " + repo + " not made: " + why);
            }
            Risk risk = applied.stream().map(PlannedChange::risk).max(Enum::compareTo).orElseThrow();
            List<ChangeStore.Item> items = applied.stream().map(p -> new ChangeStore.Item(p.itemId(), p.kind(),
                    parts.mask(p.title()), p.enhancementId(), p.revertCommit())).toList();
            String kind = applied.stream().map(PlannedChange::kind).distinct().count() == 1 ? applied.get(0).kind()
                    : "group";
            String h = head;
            long id = sql(() -> parts.store().insert(repo, branch, group.get(0).groupKey(), kind,
                    parts.mask(title(applied)), risk, draft ? ChangeState.DRAFT : ChangeState.OPEN, main, h, runId,
                    items));
            return change(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the diff that carries the item's change (an enhancement's commit, a revert, a fix) */
    private String patch(Git git, PlannedChange p) throws IOException {
        switch (p.kind()) {
            case "proposal" -> {
                EnhancementLedger ledger = parts.enhancements().get();
                if (ledger == null) {
                    throw new IllegalStateException(p.itemId() + ": the proposals ledger is not available");
                }
                Enhancement e = ledger.enhancement(p.enhancementId()).orElseThrow(() -> new NoSuchElementException(
                        p.itemId() + ": no enhancement " + p.enhancementId()));
                if (e.resultCommit() == null) {
                    throw new IllegalStateException(p.itemId() + ": enhancement " + e.id() + " is " + e.status()
                            + " and has no commit");
                }
                // the enhancement's commit against its parent: a cherry-pick of its branch head
                return Commits.diff(git, e.resultCommit() + "^", e.resultCommit());
            }
            case "revert" -> {
                String c = git.commit(p.revertCommit() == null ? "" : p.revertCommit());
                if (c == null) {
                    throw new IllegalArgumentException(p.itemId() + ": no commit '" + p.revertCommit() + "' to revert");
                }
                return Commits.diff(git, c, c + "^");
            }
            case "fix" -> {
                if (p.diff() == null || p.diff().isBlank()) {
                    throw new IllegalArgumentException(p.itemId() + ": a fix needs a diff");
                }
                return p.diff();
            }
            default -> throw new IllegalArgumentException(p.itemId() + ": kind '" + p.kind()
                    + "' is not one of proposal, revert, fix");
        }
    }

    private String title(List<PlannedChange> items) {
        PlannedChange first = items.get(0);
        return items.size() == 1 ? first.title()
                : (first.groupKey() == null ? first.kind() : first.groupKey()) + ": " + items.size() + " changes";
    }

    /** The commit message: subject, one line per item, the items as a trailer; masked (P-001). */
    private String message(List<PlannedChange> items, String runId) {
        StringBuilder m = new StringBuilder(title(items)).append("\n\n");
        for (PlannedChange p : items) {
            m.append("- ").append(p.itemId()).append(' ').append(p.kind()).append(": ").append(p.title()).append('\n');
        }
        m.append("\nHarmonix-Items: ").append(String.join(", ", items.stream().map(PlannedChange::itemId).toList()));
        if (runId != null) {
            m.append("\nHarmonix-Run: ").append(runId);
        }
        return parts.mask(m.append('\n').toString());
    }

    @Override
    public ChangeRequest verify(long id, String runId) {
        return verifier.verify(id, runId).request();
    }

    @Override
    public ShipOutcome ship(long id, Toggles toggles, String runId) {
        return shipper.ship(id, toggles, runId);
    }

    @Override
    public synchronized ChangeRequest approve(long id, String who, String why) {
        if (who == null || who.isBlank() || why == null || why.isBlank()) {
            throw new IllegalArgumentException("change:approve: who approves and why are required");
        }
        ChangeStore.Stored s = stored(id).orElseThrow(() -> new NoSuchElementException("no change request " + id));
        if (s.state() != ChangeState.AWAITING_APPROVAL) {
            throw new IllegalStateException("change request " + id + " is " + s.state()
                    + ", not AWAITING_APPROVAL: only a verified high or critical risk change waits for approval");
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("change", id);
        inputs.put("repo", s.request().repo());
        inputs.put("risk", s.request().risk().json());
        // the approval is of this SHA: a candidate made again (main moved) waits for a person again
        inputs.put("approved_commit", s.request().verifiedCommit());
        inputs.put("approved_by", parts.mask(who));
        Decision d = parts.decisionLog().record("approve", Shipper.policies(parts.decisionLog(), List.of("G-08")),
                inputs, "allowed", List.of(parts.mask(why)), null);
        sql(() -> {
            parts.store().addDecision(id, d.id());
            return parts.store().update(id, ChangeState.AWAITING_APPROVAL, Map.of("APPROVED_BY", parts.mask(who),
                    "APPROVAL_REASON", parts.mask(why), "APPROVED_COMMIT", s.request().verifiedCommit(), "STATE",
                    ChangeState.VERIFIED.name()));
        });
        return change(id).orElseThrow();
    }

    @Override
    public int shippedOn(LocalDate day, ZoneId zone) {
        return sql(() -> parts.store().shippedBetween(day.atStartOfDay(zone).toInstant(),
                day.plusDays(1).atStartOfDay(zone).toInstant()));
    }

    /** A store call. */
    @FunctionalInterface
    interface Sql<T> {
        T call() throws SQLException;
    }

    static <T> T sql(Sql<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException("change requests: the database failed: " + e.getMessage(), e);
        }
    }
}
