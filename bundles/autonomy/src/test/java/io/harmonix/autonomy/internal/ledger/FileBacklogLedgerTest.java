package io.harmonix.autonomy.internal.ledger;

import static io.harmonix.autonomy.internal.ledger.Items.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.ItemType;
import io.harmonix.autonomy.api.Risk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger file: the seed's fields, the times it stamps, its order, and what it refuses to write. */
class FileBacklogLedgerTest {
    private static final Set<String> SEED_FIELDS = new TreeSet<>(List.of("id", "repo", "type", "priority", "risk",
            "status", "evidence_links", "created_at", "updated_at", "policy_decision_ref", "run_id", "workflow",
            "commit_sha"));

    @TempDir
    Path dir;

    private final Items.ManualClock clock = new Items.ManualClock("2026-11-26T10:00:00Z");

    @Test
    void anItemIsWrittenWithExactlyTheSeedsFieldsInSnakeCase() throws Exception {
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("data/ledger/backlog.json"), clock);
        assertEquals(List.of(), ledger.items(), "no file yet is an empty backlog");
        assertEquals(List.of(), ledger.validate());

        BacklogItem written = ledger.upsert(item("shop", ItemType.SECURITY, "AWS key in config.properties", 1,
                Risk.HIGH));

        assertEquals("1ea2e2a2cd6df36e".length(), written.id().length());
        JsonNode root = new ObjectMapper().readTree(Files.readString(ledger.path()));
        assertEquals(1, root.get("version").asInt());
        JsonNode n = root.get("items").get(0);
        Set<String> fields = new TreeSet<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertEquals(SEED_FIELDS, fields);
        assertEquals("security", n.get("type").asText());
        assertEquals("high", n.get("risk").asText());
        assertEquals("open", n.get("status").asText());
        assertEquals("2026-11-26T10:00:00Z", n.get("created_at").asText());
        assertTrue(n.get("policy_decision_ref").isNull());
        assertEquals(List.of(), ledger.validate());
        assertEquals(List.of(written), ledger.items());
        assertFalse(Files.list(ledger.path().getParent()).anyMatch(p -> p.toString().endsWith(".tmp")),
                "no temporary file is left behind");
    }

    @Test
    void anUpsertKeepsCreatedAtAndStampsUpdatedAt() {
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("backlog.json"), clock);
        BacklogItem first = ledger.upsert(item("shop", ItemType.BUG, "test fails", 3, Risk.LOW));
        clock.advance(3600);
        BacklogItem again = item("shop", ItemType.BUG, "test fails", 2, Risk.MEDIUM);
        BacklogItem second = ledger.upsert(again);

        assertEquals(first.id(), second.id());
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), second.createdAt(), "created_at is the first upsert");
        assertEquals(Instant.parse("2026-11-26T11:00:00Z"), second.updatedAt(), "updated_at is the last upsert");
        assertEquals(2, second.priority());
        assertEquals(List.of(second), ledger.items(), "updated, not added");
    }

    @Test
    void itemsComeHighestPriorityFirstThenOldest() {
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("backlog.json"), clock);
        BacklogItem low = ledger.upsert(item("a", ItemType.CHORE, "tidy", 5, Risk.LOW));
        clock.advance(1);
        BacklogItem urgentOld = ledger.upsert(item("a", ItemType.BUG, "red main", 1, Risk.LOW));
        clock.advance(1);
        BacklogItem urgentNew = ledger.upsert(item("b", ItemType.BUG, "red main", 1, Risk.LOW));
        assertEquals(List.of(urgentOld.id(), urgentNew.id(), low.id()),
                ledger.items().stream().map(BacklogItem::id).toList());
    }

    @Test
    void setStatusChangesStatusDecisionAndRunOnly() {
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("backlog.json"), clock);
        BacklogItem i = ledger.upsert(item("a", ItemType.BUG, "x", 2, Risk.LOW));
        clock.advance(60);
        BacklogItem done = ledger.setStatus(i.id(), ItemStatus.DONE, "decisions-2026-11-26:4", "run-7");
        assertEquals(ItemStatus.DONE, done.status());
        assertEquals("decisions-2026-11-26:4", done.policyDecisionRef());
        assertEquals("run-7", done.runId());
        assertEquals(i.createdAt(), done.createdAt());
        assertEquals(Instant.parse("2026-11-26T10:01:00Z"), done.updatedAt());
        BacklogItem again = ledger.setStatus(i.id(), ItemStatus.BLOCKED, null, null);
        assertEquals("decisions-2026-11-26:4", again.policyDecisionRef(), "null keeps the decision");
        assertEquals(ledger.item(i.id()).orElseThrow(), again);

        assertThrows(NoSuchElementException.class, () -> ledger.setStatus("0123456789abcdef", ItemStatus.DONE, null,
                null));
    }

    @Test
    void anItemTheSchemaRefusesIsNotWrittenAndTheFileStaysAsItWas() throws Exception {
        FileBacklogLedger ledger = new FileBacklogLedger(dir.resolve("backlog.json"), clock);
        ledger.upsert(item("a", ItemType.BUG, "x", 2, Risk.LOW));
        byte[] before = Files.readAllBytes(ledger.path());
        BacklogItem noEvidence = new BacklogItem(BacklogItem.idOf("a", ItemType.BUG, "y"), "a", ItemType.BUG, 2,
                Risk.LOW, ItemStatus.OPEN, new ArrayList<>(), Instant.EPOCH, Instant.EPOCH, null, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ledger.upsert(noEvidence));
        assertTrue(e.getMessage().contains("evidence_links"), e.getMessage());
        BacklogItem emptyRepo = new BacklogItem(BacklogItem.idOf("", ItemType.BUG, "y"), "", ItemType.BUG, 2,
                Risk.LOW, ItemStatus.OPEN, List.of("harmonix:task/x/1"), Instant.EPOCH, Instant.EPOCH, null, null,
                null, null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ledger.upsert(emptyRepo)).getMessage()
                .contains("repo"));
        assertEquals(new String(before), Files.readString(ledger.path()));
        assertNull(ledger.item(noEvidence.id()).orElse(null));
    }
}
