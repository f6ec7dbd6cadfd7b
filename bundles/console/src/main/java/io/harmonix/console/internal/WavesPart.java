package io.harmonix.console.internal;

import io.harmonix.waves.api.Wave;
import io.harmonix.waves.api.WaveCoordinator;
import io.harmonix.waves.api.WaveReport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Waves ({@code /console/api/waves}): the waves newest first, a page at a time, each in short; a wave
 * ({@code /console/api/waves/ID}) with its instances and the components each owns with its lease (ownership), and its
 * report: findings merged, conflicts and how each was resolved, its proposals with their validation status in the
 * enhancement ledger (validated, failed, applied, rolled back...). A page is read as a page from the coordinator's
 * Derby tables ({@code waves(offset, limit)}: one row more than the page, to say whether there is a next), never
 * every wave with every wave's instances.
 */
@Component(service = ConsolePart.class)
public final class WavesPart implements ConsolePart {
    private final WaveCoordinator waves;

    @Activate
    public WavesPart(@Reference WaveCoordinator waves) {
        this.waves = waves;
    }

    @Override
    public String name() {
        return "waves";
    }

    @Override
    public boolean exists(String id) {
        return waves.wave(id).isPresent();
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.isEmpty()) {
            Page page = Page.of(req);
            Json.send(resp, 200, Window.of(page, waves.waves(page.offset(), Window.toRead(page)).stream()
                    .map(WavesPart::summary).toList()));
        } else if (rest.size() == 1) {
            Wave w = waves.wave(rest.get(0)).orElseThrow(() -> ApiException.notFound("no wave '" + rest.get(0)
                    + "'"));
            WaveReport report = waves.report(w.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wave", w);
            m.put("findings", report.findings().size());
            m.put("conflicts", report.conflicts());
            m.put("proposals", report.proposals());
            Json.send(resp, 200, m);
        } else {
            throw Parts.noApi(name(), rest);
        }
    }

    private static Map<String, Object> summary(Wave w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("status", w.status());
        m.put("size", w.size());
        m.put("focus", w.focus());
        m.put("target", w.target());
        m.put("components", w.components().size());
        m.put("instances", w.instances().size());
        m.put("runId", w.runId());
        m.put("series", w.series());
        m.put("startedAt", w.startedAt());
        m.put("endedAt", w.endedAt());
        m.put("message", w.message());
        return m;
    }
}
