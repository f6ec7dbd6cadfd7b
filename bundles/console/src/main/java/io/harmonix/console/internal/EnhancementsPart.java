package io.harmonix.console.internal;

import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.proposals.api.EnhancementStatus;
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
 * The enhancement ledger ({@code /console/api/enhancements?wave=ID&status=validated}): the proposals the agents
 * submitted, newest first, a page at a time, each with where it stands now (proposed, validating, validated,
 * rejected, applied, rolled back), why, and its validation's steps. The wave page reads its wave's here: the wave
 * records a proposal's status when it submits it, the ledger follows it through validation and rollback.
 */
@Component(service = ConsolePart.class)
public final class EnhancementsPart implements ConsolePart {
    private final EnhancementLedger ledger;

    @Activate
    public EnhancementsPart(@Reference EnhancementLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "enhancements";
    }

    @Override
    public void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!rest.isEmpty()) {
            throw Parts.noApi(name(), rest);
        }
        EnhancementStatus status = Parts.choice(req, "status", EnhancementStatus.class);
        String wave = req.getParameter("wave");
        Json.send(resp, 200, Page.of(req).slice(ledger.enhancements(status, wave == null || wave.isBlank() ? null
                : wave.trim()).stream().map(EnhancementsPart::row).toList()));
    }

    private static Map<String, Object> row(Enhancement e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("waveId", e.waveId());
        m.put("agentId", e.agentId());
        m.put("fingerprint", e.fingerprint());
        m.put("repository", e.repository());
        m.put("title", e.title());
        m.put("status", e.status().id());
        m.put("reason", e.reason());
        m.put("validation", e.validation());
        m.put("branch", e.branch());
        m.put("appliedCommit", e.appliedCommit());
        m.put("revertedBy", e.revertedBy());
        m.put("revertOf", e.revertOf());
        m.put("proposedAt", e.proposedAt());
        m.put("validatedAt", e.validatedAt());
        m.put("rolledBackAt", e.rolledBackAt());
        return m;
    }
}
