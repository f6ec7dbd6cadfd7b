/**
 * The enhancement agents' shared model: a {@link io.harmonix.enhance.api.Finding} at a
 * {@link io.harmonix.enhance.api.Location} with a fingerprint that survives unrelated edits, a
 * {@link io.harmonix.enhance.api.Proposal} (a finding's fix as a unified diff against a named commit), the
 * {@link io.harmonix.enhance.api.Target} an agent analyses (a git working tree and components in it), the
 * {@link io.harmonix.enhance.api.EnhancementAgent} service with its {@link io.harmonix.enhance.api.Rule}s, and
 * {@link io.harmonix.enhance.api.FindingCycle}, the one place where a cycle's findings become outputs and state, each
 * reported as new, persisting or fixed since the agent's previous cycle.
 *
 * <p>1.0.0: first version. 1.1.0: {@link io.harmonix.enhance.api.GitCommand}, git run bounded in time, with its
 * answer.
 */
@Export
@Version("1.1.0")
package io.harmonix.enhance.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
