package io.harmonix.console.internal;

import io.harmonix.autonomy.api.BacklogItem;
import io.harmonix.autonomy.api.BacklogLedger;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.ItemStatus;
import io.harmonix.autonomy.api.LedgerProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * The backlog ledger ({@code /console/api/ledger?status=open}): its items highest priority first, a page at a
 * time, with the problems of the file when it does not validate; an item ({@code /ledger/ID}) with the decision it
 * refers to ({@code policy_decision_ref}) read from the decision log. The ledger is one JSON file that the
 * controller reads whole itself; a page is cut from it.
 */
@Component(service = ConsolePart.class)
public final class LedgerPart implements ConsolePart {
    private final BacklogLedger ledger;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DecisionLog decisions;

    @Activate
    public LedgerPart(@Reference BacklogLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (rest.isEmpty()) {
            ItemStatus status = Parts.choice(req, "status", ItemStatus.class);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", ledger.path().toString());
            try {
                m.put("items", Page.of(req).slice(ledger.items().stream()
                        .filter(i -> status == null || i.status() == status).toList()));
                m.put("problems", List.of());
            } catch (IllegalStateException e) { // the file does not validate: say why instead of failing the page
                m.put("items", Page.of(req).slice(List.of()));
                m.put("problems", ledger.validate());
            }
            Json.send(resp, 200, m);
        } else if (rest.size() == 1) {
            BacklogItem item;
            try {
                item = ledger.item(rest.get(0)).orElseThrow(() -> ApiException.notFound(
                        "no backlog item '" + rest.get(0) + "'"));
            } catch (IllegalStateException e) {
                throw invalid();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", item);
            DecisionLog log = decisions;
            m.put("decision", log == null || item.policyDecisionRef() == null ? null
                    : log.decision(item.policyDecisionRef()).orElse(null));
            Json.send(resp, 200, m);
        } else {
            throw Parts.noApi(name(), rest);
        }
    }

    /**
     * The answer for an item of a ledger file that does not validate: 409 (the file is in a state that cannot answer;
     * a person repairs it), naming the file and its first problem with line, column and field as {@code
     * ledger:validate} prints them, never a 500.
     */
    private ApiException invalid() {
        List<LedgerProblem> problems = ledger.validate();
        StringBuilder m = new StringBuilder("the backlog ledger " + ledger.path() + " does not validate");
        if (!problems.isEmpty()) {
            m.append(": ").append(problems.get(0));
            if (problems.size() > 1) {
                m.append(" (and ").append(problems.size() - 1).append(" more problem(s))");
            }
        }
        m.append("; ledger:validate lists them, /console/api/ledger shows them");
        return new ApiException(409, m.toString());
    }
}
