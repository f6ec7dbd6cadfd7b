package io.harmonix.propagator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.harmonix.cycle.api.CycleSnapshot;
import io.harmonix.cycle.api.CycleSnapshots;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a peer's snapshot may be indexed: the snapshot's JSON Schema (docs/formats/cycle-snapshot.schema.json,
 * shipped in the cycle API bundle as {@link CycleSnapshots#SCHEMA_RESOURCE}), then the id rule the schema cannot
 * say, {@code cycleId} = {@code runId:cycle}. A peer's signature says who sent a body, not that it is sound: a record
 * that breaks these rules once misled the index's retention, so nothing unchecked is appended.
 */
final class SnapshotCheck {
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(CycleSnapshots.schema(), InputFormat.JSON);
    /** Enough for a peer to see what is wrong; a hostile body cannot make the answer or the log long. */
    private static final int MAX_REASONS = 5;

    private SnapshotCheck() {
    }

    /** @return why {@code tree} is not a snapshot this runtime may index (the fields named), or null when it is one */
    static String problem(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            return "the body is not a JSON object";
        }
        List<Error> errors = SCHEMA.validate(tree);
        if (!errors.isEmpty()) {
            String shown = errors.stream().limit(MAX_REASONS).map(SnapshotCheck::describe)
                    .collect(Collectors.joining("; "));
            return errors.size() > MAX_REASONS ? shown + "; and " + (errors.size() - MAX_REASONS) + " more" : shown;
        }
        String expected = CycleSnapshot.cycleIdOf(tree.get("runId").asText(), tree.get("cycle").asLong());
        if (!expected.equals(tree.get("cycleId").asText())) {
            return "/cycleId: '" + tree.get("cycleId").asText() + "' is not <runId>:<cycle>, '" + expected + "'";
        }
        return null;
    }

    private static String describe(Error err) {
        String at = err.getInstanceLocation().toString();
        // "required" and "additionalProperties" are reported on the object: name the property itself
        String field = err.getProperty() != null && ("required".equals(err.getKeyword())
                || "additionalProperties".equals(err.getKeyword())) ? at + "/" + err.getProperty() : at;
        String m = err.getMessage();
        return field + ": " + (m.startsWith(at + ": ") ? m.substring(at.length() + 2) : m);
    }
}
