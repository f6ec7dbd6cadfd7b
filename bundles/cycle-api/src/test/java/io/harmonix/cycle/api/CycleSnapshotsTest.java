package io.harmonix.cycle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CycleSnapshotsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(CycleSnapshots.schema(), InputFormat.JSON);

    private static CycleSnapshot sample() throws Exception {
        ObjectNode outputs = (ObjectNode) JSON.readTree("{\"z\":1,\"a\":{\"y\":2,\"b\":[3,{\"d\":4,\"c\":5}]}}");
        AgentEntry ok = new AgentEntry("files", "sample", AgentStatus.OK,
                CycleSnapshots.digest(JSON.readTree("{\"files\":3}")), outputs, Map.of("lines", 10.0), 12, null);
        AgentEntry failed = new AgentEntry("broken", "", AgentStatus.FAILED,
                CycleSnapshots.digest(null), null, null, 1, "boom");
        return new CycleSnapshot(CycleSnapshot.SCHEMA_VERSION, "run-1", 3, CycleSnapshot.cycleIdOf("run-1", 3),
                Instant.parse("2026-11-21T05:00:00.123456Z"), Instant.parse("2026-11-21T05:00:01Z"),
                CycleStatus.PARTIAL, List.of(ok, failed), Map.of("agents", 2.0, "failed", 1.0));
    }

    @Test
    void canonicalJsonSortsKeysAtEveryLevelAndAgentsById() throws Exception {
        String json = CycleSnapshots.toCanonicalJson(sample());
        assertTrue(json.startsWith("{\"agents\":[{\"agentId\":\"broken\""), json);
        assertTrue(json.contains("\"outputs\":{\"a\":{\"b\":[3,{\"c\":5,\"d\":4}],\"y\":2},\"z\":1}"), json);
        assertTrue(!json.contains(" ") && !json.contains("\n"), "no insignificant whitespace: " + json);
    }

    @Test
    void roundTripGivesAnEqualSnapshotAndTheSameBytes() throws Exception {
        CycleSnapshot s = sample();
        String json = CycleSnapshots.toCanonicalJson(s);
        CycleSnapshot back = CycleSnapshots.fromJson(json);
        assertEquals(s, back);
        assertEquals(json, CycleSnapshots.toCanonicalJson(back));
    }

    @Test
    void digestDoesNotDependOnKeyOrder() throws Exception {
        String a = CycleSnapshots.digest(JSON.readTree("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}"));
        String b = CycleSnapshots.digest(JSON.readTree("{\"b\":{\"d\":3,\"c\":2},\"a\":1}"));
        assertEquals(a, b);
        assertNotEquals(a, CycleSnapshots.digest(JSON.readTree("{\"a\":1,\"b\":{\"c\":2,\"d\":4}}")));
        assertEquals(64, a.length());
    }

    @Test
    void snapshotsValidateAgainstTheShippedSchema() throws Exception {
        List<Error> errors = SCHEMA.validate(CycleSnapshots.toCanonicalJson(sample()), InputFormat.JSON);
        assertEquals(List.of(), errors);
    }

    @Test
    void schemaRejectsWhatTheContractForbids() throws Exception {
        ObjectNode tree = CycleSnapshots.toTree(sample());
        tree.put("cycle", 0);
        ((ObjectNode) tree.get("agents").get(0)).remove("error");
        tree.put("extra", true);
        List<Error> errors = SCHEMA.validate(tree);
        String all = errors.toString();
        assertTrue(all.contains("/cycle"), all);
        assertTrue(all.contains("/agents/0"), all);
        assertTrue(all.contains("extra"), all);
    }

    @Test
    void readingNamesTheMissingField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CycleSnapshots.fromJson("{\"schemaVersion\":1,\"agents\":[{\"status\":\"ok\"}]}"));
        assertTrue(e.getMessage().contains("/agents/0/agentId"), e.getMessage());
    }

    @Test
    void cycleStatusFollowsTheEntries() {
        assertEquals(CycleStatus.OK, CycleStatus.of(0, 0));
        assertEquals(CycleStatus.PARTIAL, CycleStatus.of(3, 1));
        assertEquals(CycleStatus.FAILED, CycleStatus.of(2, 2));
    }
}
