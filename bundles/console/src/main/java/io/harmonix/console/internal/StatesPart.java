package io.harmonix.console.internal;

import io.harmonix.cycle.api.StoredState;
import io.harmonix.state.api.StateAdmin;
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
 * An agent's state history in a run ({@code GET /console/api/states/RUN/AGENT?limit=&offset=}): its states newest
 * first, one page read from the state store ({@code ORDER BY CYCLE DESC OFFSET .. FETCH NEXT ..}), never the whole
 * history, each with the cycle that produced it, its state version and the state itself (migrated to the agent's
 * current version when the agent is present, as {@code state:history} shows it).
 */
@Component(service = ConsolePart.class)
public final class StatesPart implements ConsolePart {
    private final StateAdmin states;

    @Activate
    public StatesPart(@Reference StateAdmin states) {
        this.states = states;
    }

    @Override
    public String name() {
        return "states";
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.size() != 2) {
            throw ApiException.notFound("no API '/console/api/states/" + String.join("/", rest)
                    + "': expected /console/api/states/RUN/AGENT");
        }
        Json.send(resp, 200, history(rest.get(0), rest.get(1), Page.of(req)));
    }

    /** @return a page of the agent's states in the run, newest first; 404 when it has none at all */
    Window<Map<String, Object>> history(String runId, String agentId, Page page) throws IOException {
        List<StoredState> read = states.history(agentId, runId, page.offset(), Window.toRead(page));
        if (read.isEmpty() && (page.offset() == 0 || states.latest(agentId, runId).isEmpty())) {
            throw ApiException.notFound("agent '" + agentId + "' has no state in run '" + runId + "'");
        }
        return Window.of(page, read.stream().map(StatesPart::row).toList());
    }

    private static Map<String, Object> row(StoredState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycle", s.cycle());
        m.put("stateVersion", s.stateVersion());
        m.put("savedAt", s.savedAt());
        m.put("state", s.payload());
        return m;
    }
}
