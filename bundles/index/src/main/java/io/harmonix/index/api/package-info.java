/**
 * The federated cycle index: an append-only log of cycle snapshots per namespace (one for this runtime, one per
 * peer whose cycles arrive by propagation), checked by CRC32C per record and by an RFC 9162 Merkle tree, with
 * inclusion and consistency proofs, manifests, retention and replay.
 */
@Export
@Version("1.2.0")
package io.harmonix.index.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
