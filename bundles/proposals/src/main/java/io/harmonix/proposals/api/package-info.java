/**
 * Enhancement proposals and what becomes of them: the {@link io.harmonix.proposals.api.Enhancement} record (the
 * seed's resource), its {@link io.harmonix.proposals.api.EnhancementStatus} with the transitions allowed, the steps of
 * its validation ({@link io.harmonix.proposals.api.ValidationStep}), and the
 * {@link io.harmonix.proposals.api.EnhancementLedger}: submit (idempotent), validate through the
 * {@code enhancement-validation} workflow, mark applied, roll back, and the
 * {@link io.harmonix.proposals.api.EnhancementStats} per agent type and rule that adaptive deployment reads.
 *
 * <p>1.0.0: first version.
 */
@Export
@Version("1.0.0")
package io.harmonix.proposals.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
