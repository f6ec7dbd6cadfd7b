package io.harmonix.autonomy.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One item of the backlog ledger, with exactly the seed's fields (JSON names in snake case: {@code evidence_links,
 * created_at, updated_at, policy_decision_ref, run_id, commit_sha}; the schema is {@code
 * docs/formats/backlog.schema.json}).
 *
 * @param id the first 16 hex digits of the SHA-1 of {@code repo:type:title} ({@link #idOf})
 * @param repo the repository's name in the fleet catalogue
 * @param priority 1 (most urgent) to 5
 * @param evidenceLinks where the item comes from: {@code harmonix:finding/<fingerprint>}, {@code
 *     harmonix:check/<id>}, {@code harmonix:enhancement/<id>}, {@code harmonix:task/<repo>/<n>}, {@code
 *     harmonix:change/<id>} or a URL; never empty
 * @param policyDecisionRef the id of the last {@link Decision} about the item, or null
 * @param runId the controller run that last updated it, or null
 * @param workflow the workflow that last updated it (the controller's), or null
 * @param commitSha the repository's commit at the time of the update (40 hex digits), or null
 */
public record BacklogItem(String id, String repo, ItemType type, int priority, Risk risk, ItemStatus status,
        List<String> evidenceLinks, Instant createdAt, Instant updatedAt, String policyDecisionRef, String runId,
        String workflow, String commitSha) {

    public BacklogItem {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("id: expected 16 lower-case hex digits, got '" + id + "'");
        }
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(status, "status");
        if (priority < 1 || priority > 5) {
            throw new IllegalArgumentException("priority: expected 1 to 5, got " + priority);
        }
        evidenceLinks = List.copyOf(evidenceLinks);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (commitSha != null && !commitSha.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("commitSha: expected 40 hex digits, got '" + commitSha + "'");
        }
    }

    /** @return the seed's deterministic id: the first 16 hex digits of SHA-1 of {@code repo:type:title} */
    public static String idOf(String repo, ItemType type, String title) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((repo + ":" + type.json() + ":" + title).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    public BacklogItem withStatus(ItemStatus newStatus, Instant at, String decisionRef, String run) {
        return new BacklogItem(id, repo, type, priority, risk, newStatus, evidenceLinks, createdAt, at,
                decisionRef == null ? policyDecisionRef : decisionRef, run == null ? runId : run, workflow,
                commitSha);
    }
}
