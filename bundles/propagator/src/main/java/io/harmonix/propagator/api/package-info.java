/**
 * The propagator: delivers every new cycle of the federated index to the connected endpoints of
 * {@code etc/registry.json} as signed Standard Webhooks, with a durable cursor per endpoint and namespace, retries,
 * dead letters, rate limits and a circuit breaker; and receives the cycles of peer runtimes on its ingest endpoint.
 */
@Export
@Version("1.0.0")
package io.harmonix.propagator.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
