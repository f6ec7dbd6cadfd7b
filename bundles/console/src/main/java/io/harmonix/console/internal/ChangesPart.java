package io.harmonix.console.internal;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.DecisionLog;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Change requests ({@code /console/api/changes?state=shipped&repo=NAME}): newest first, a page at a time, read as a
 * page from Derby with the filters in the query (one row more than the page, to say whether there is a next); a
 * request
 * ({@code /changes/ID}) with its decision records (each read from the decision log, in the index), the ids of its
 * check records (each at {@code /console/api/fleet/checks/ID}) and its diff.
 */
@Component(service = ConsolePart.class)
public final class ChangesPart implements ConsolePart {
    private final ChangeRequests changes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DecisionLog decisions;

    @Activate
    public ChangesPart(@Reference ChangeRequests changes) {
        this.changes = changes;
    }

    @Override
    public String name() {
        return "changes";
    }

    @Override
    public boolean exists(String id) {
        try {
            return changes.change(Long.parseLong(id)).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.isEmpty()) {
            ChangeState state = Parts.choice(req, "state", ChangeState.class);
            String repo = req.getParameter("repo");
            Page page = Page.of(req);
            Json.send(resp, 200, Window.of(page, changes.changes(state, repo == null || repo.isBlank() ? null
                    : repo.trim(), page.offset(), Window.toRead(page))));
        } else if (rest.size() == 1) {
            ChangeRequest c = change(rest.get(0));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("change", c);
            List<Object> records = new ArrayList<>();
            DecisionLog log = decisions;
            for (String id : c.decisionIds()) {
                records.add(log == null ? Map.of("id", id) : log.decision(id).map(d -> (Object) d)
                        .orElse(Map.of("id", id, "missing", true)));
            }
            m.put("decisions", records);
            m.put("diff", changes.diff(c.id()));
            Json.send(resp, 200, m);
        } else {
            throw Parts.noApi(name(), rest);
        }
    }

    private ChangeRequest change(String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("change '" + id + "': expected a change request number");
        }
        return changes.change(n).orElseThrow(() -> ApiException.notFound("no change request " + n));
    }
}
