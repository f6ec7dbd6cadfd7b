package io.harmonix.console.internal;

import io.harmonix.index.api.CycleIndex;
import io.harmonix.index.api.IndexStats;
import io.harmonix.index.api.IndexedCycle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The federated cycle index ({@code /console/api/index}): its namespaces with their tree head (size and Merkle root),
 * a namespace's runs and its records a page at a time (newest first, read from the log at the page's sequence, never
 * the whole log), {@code POST .../verify} of a namespace (reads every record: asked for, never done on a page's load,
 * and never by a GET), and
 * the inclusion proof of a cycle ({@code /console/api/proofs/CYCLE_ID}, the same {@code index:prove} gives).
 */
@Component(service = ConsolePart.class)
public final class IndexPart implements ConsolePart {
    private final CycleIndex index;

    @Activate
    public IndexPart(@Reference CycleIndex index) {
        this.index = index;
    }

    @Override
    public String name() {
        return "index";
    }

    @Override
    public boolean exists(String namespace) {
        try {
            return index.namespaces().contains(namespace);
        } catch (IOException e) {
            return true; // the script shows the API's error
        }
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (rest.isEmpty()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("local", index.localNamespace());
                List<IndexStats> stats = new ArrayList<>();
                for (String ns : index.namespaces()) {
                    stats.add(index.stats(ns));
                }
                m.put("namespaces", stats);
                Json.send(resp, 200, m);
            } else if (rest.size() == 1) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stats", stats(rest.get(0)));
                m.put("runs", Page.of(req).slice(index.runs(rest.get(0))));
                Json.send(resp, 200, m);
            } else if (rest.size() == 2 && rest.get(1).equals("records")) {
                Json.send(resp, 200, records(rest.get(0), Page.of(req)));
            } else if (rest.size() == 2 && rest.get(1).equals("verify")) {
                throw new ApiException.WrongMethod("POST", "verify reads every record of the namespace: POST to "
                        + "it (it changes nothing, but a GET must stay cheap: browsers prefetch, crawlers follow)");
            } else {
                throw ApiException.notFound("no API '/console/api/index/" + String.join("/", rest) + "'");
            }
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage()); // a damaged namespace: the message names the way out
        }
    }

    /**
     * {@code POST /console/api/index/NAMESPACE/verify}: a POST though it only reads, since it reads every record; it
     * takes reading's access, not the token's control: it changes nothing, and a person who may read the records
     * may check them.
     */
    @Override
    public void post(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.size() != 2 || !rest.get(1).equals("verify")) {
            ConsolePart.super.post(rest, req, resp);
            return;
        }
        try {
            stats(rest.get(0));
            Json.send(resp, 200, index.verify(rest.get(0)));
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
    }

    private IndexStats stats(String namespace) throws IOException {
        if (!index.namespaces().contains(namespace)) {
            throw ApiException.notFound("no namespace '" + namespace + "' in the index");
        }
        return index.stats(namespace);
    }

    /**
     * @return a page of the namespace's records, newest first: only the page's sequences are read, from {@code
     *     treeSize - offset - limit} on; the total is the tree's size (pruned records count, their rows are absent)
     */
    Page.Of<Map<String, Object>> records(String namespace, Page page) throws IOException {
        long size = stats(namespace).treeSize();
        long newestWanted = size - 1 - page.offset();
        long from = Math.max(0, newestWanted - page.limit() + 1);
        List<IndexedCycle> read = newestWanted < 0 ? List.of()
                : index.list(namespace, null, from, (int) (newestWanted - from + 1));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = read.size() - 1; i >= 0; i--) {
            if (read.get(i).sequence() <= newestWanted) {
                rows.add(row(read.get(i)));
            }
        }
        return new Page.Of<>(rows, size, page.limit(), page.offset());
    }

    private static Map<String, Object> row(IndexedCycle c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", c.sequence());
        m.put("recordedAt", c.recordedAt());
        m.put("cycleId", c.snapshot().cycleId());
        m.put("runId", c.snapshot().runId());
        m.put("cycle", c.snapshot().cycle());
        m.put("status", c.snapshot().status());
        m.put("agents", c.snapshot().agents().size());
        return m;
    }

    /** {@code /console/api/proofs/CYCLE_ID}: the cycle's inclusion proof against its namespace's current root. */
    @Component(service = ConsolePart.class)
    public static final class ProofsPart implements ConsolePart {
        private final CycleIndex index;

        @Activate
        public ProofsPart(@Reference CycleIndex index) {
            this.index = index;
        }

        @Override
        public String name() {
            return "proofs";
        }

        @Override
        public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (rest.size() != 1) {
                throw ApiException.notFound("no API '/console/api/proofs/" + String.join("/", rest)
                        + "': expected /console/api/proofs/CYCLE_ID");
            }
            try {
                Json.send(resp, 200, index.prove(rest.get(0)));
            } catch (IllegalArgumentException e) {
                throw ApiException.notFound(e.getMessage());
            } catch (IllegalStateException e) {
                throw new ApiException(409, e.getMessage());
            }
        }
    }
}
