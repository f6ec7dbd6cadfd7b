/**
 * The shared cycle-event API of Harmonix: the {@link io.harmonix.cycle.api.Agent} SPI, the immutable
 * {@link io.harmonix.cycle.api.CycleSnapshot} and its canonical JSON, cycle events and the listener whiteboard,
 * the {@link io.harmonix.cycle.api.CycleRecorder} that makes a cycle durable, and the
 * {@link io.harmonix.cycle.api.StateStore} of agent state; {@link io.harmonix.cycle.api.AgentsById}, the one rule
 * for which agent answers an id that several services claim; the
 * {@link io.harmonix.cycle.api.SecretMasker} whiteboard.
 *
 * <p>1.2.0: {@code AgentsById}. 1.3.0: {@code AgentsById.idOf}, the id of an agent made from a named factory
 * configuration. 1.4.0: {@link io.harmonix.cycle.api.SecretMasker}, the whiteboard of secret maskers applied to
 * text a foreign program printed (the fleet sandbox's build logs).
 */
@Export
@Version("1.5.0")
package io.harmonix.cycle.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
