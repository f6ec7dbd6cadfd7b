package io.harmonix.propagator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import io.harmonix.propagator.internal.ingest.Ingest;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The other side of the mesh: checks a peer's request (known peer, timestamp within the tolerance, a signature by
 * one of the peer's secrets), answers a webhook-id it has seen with success without appending again, and appends
 * the snapshot to the index under the peer's namespace once it passes the snapshot schema and the id rules
 * ({@link SnapshotCheck}). A refused request is logged and appends nothing.
 */
final class IngestService implements Ingest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PropagationService.Parts parts;
    private final Supplier<MeshConfig> config;
    private final Supplier<Instant> clock;

    /** @param config the registry and pulse in force, read at each request */
    IngestService(PropagationService.Parts parts, Supplier<MeshConfig> config, Supplier<Instant> clock) {
        this.parts = parts;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Answer receive(String peerId, String webhookId, String timestamp, String signature, byte[] body,
            String from) {
        MeshConfig config = this.config.get();
        MeshConfig.Peer peer = config.peers.get(peerId);
        if (peer == null) {
            return refuse(403, "unknown peer '" + peerId + "'", peerId, webhookId, from);
        }
        if (webhookId == null || timestamp == null || signature == null) {
            return refuse(400, "webhook-id, webhook-timestamp and webhook-signature headers are required", peerId,
                    webhookId, from);
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return refuse(400, "webhook-timestamp '" + timestamp + "' is not whole seconds since 1970", peerId,
                    webhookId, from);
        }
        long skew = Math.abs(clock.get().getEpochSecond() - ts);
        if (skew > parts.settings().ingestTolerance().toSeconds()) {
            return refuse(401, "webhook-timestamp is " + skew + " s away from now (tolerance "
                    + parts.settings().ingestTolerance().toSeconds() + " s)", peerId, webhookId, from);
        }
        MeshConfig.Secret secret = config.secrets.get(peer.secret());
        if (secret == null || !Webhooks.verify(secret.keys(), webhookId, ts, body, signature)) {
            return refuse(401, "bad signature", peerId, webhookId, from);
        }
        try {
            if (parts.store().seen(webhookId)) {
                return new Answer(200, "{\"duplicate\":true,\"appended\":0}");
            }
            JsonNode tree = JSON.readTree(body);
            if (tree != null && "harmonix.ping".equals(tree.path("type").asText(null))) {
                return new Answer(200, "{\"pong\":true}");
            }
            String problem = SnapshotCheck.problem(tree);
            if (problem != null) {
                return refuse(400, "not a valid cycle snapshot: " + problem, peerId, webhookId, from);
            }
            CycleSnapshot snapshot;
            try {
                snapshot = CycleSnapshots.fromTree(tree);
            } catch (RuntimeException e) {
                return refuse(400, "not a cycle snapshot: " + e.getMessage(), peerId, webhookId, from);
            }
            int appended = parts.index().appendCycleSnapshots(peer.namespace(), List.of(snapshot));
            parts.store().markSeen(webhookId, peerId, snapshot.cycleId());
            ObjectNode a = JSON.createObjectNode().put("appended", appended).put("namespace", peer.namespace())
                    .put("cycleId", snapshot.cycleId());
            if (appended == 0) {
                a.put("note", "already indexed (this cycle or a later one of its run)");
            }
            return new Answer(200, a.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return refuse(400, "body is not JSON: " + e.getOriginalMessage(), peerId, webhookId, from);
        } catch (IOException | SQLException | RuntimeException e) {
            parts.log().warn("ingest from " + peerId + ": " + e);
            return new Answer(503, json("error", "cannot append now: " + e.getMessage()));
        }
    }

    private Answer refuse(int status, String why, String peerId, String webhookId, String from) {
        parts.log().warn("ingest refused (" + status + ") from " + from + " as peer '" + peerId + "', webhook-id "
                + webhookId + ": " + why + "; nothing appended");
        return new Answer(status, json("error", why));
    }

    private static String json(String key, String value) {
        return JSON.createObjectNode().put(key, value).toString();
    }
}
