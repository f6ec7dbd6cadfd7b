package io.harmonix.enhance.api;

import java.util.Objects;

/**
 * A fix for a finding.
 *
 * @param fingerprint the fingerprint of the finding it fixes
 * @param commit the commit the diff applies to (40 hex digits): {@code git apply} on a checkout of it applies cleanly
 * @param title what the change does, in a few words ("Remove unused import java.util.List")
 * @param diff a unified diff with {@code a/} and {@code b/} paths relative to the target's root
 * @param improves what it claims to improve ("removes a finding of rule UnusedImports", "fewer lines")
 */
public record Proposal(String fingerprint, String commit, String title, String diff, String improves) {
    public Proposal {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(diff, "diff");
        improves = improves == null ? "" : improves;
        if (!diff.endsWith("\n")) {
            // git apply refuses a patch whose last line has no newline ("corrupt patch")
            diff = diff + "\n";
        }
    }
}
