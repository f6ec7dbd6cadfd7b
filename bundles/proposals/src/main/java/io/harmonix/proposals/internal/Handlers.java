package io.harmonix.proposals.internal;

import io.harmonix.proposals.api.Enhancement;
import io.harmonix.proposals.api.ValidationStep;
import io.harmonix.workflow.api.TaskContext;
import io.harmonix.workflow.api.TaskHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task handler of the validation workflow's tasks (component {@value #COMPONENT}): one action per step, each
 * answering {@code {passed, message, checkId}}, and {@code decide}, answering {@code {status, reason}}.
 */
final class Handlers implements TaskHandler {
    static final String COMPONENT = "enhancement";
    static final String DECIDE = "decide";
    /** The actions served, as the service property lists them. */
    static final List<String> ACTIONS = List.of(Validation.PREPARE, Validation.BUILD, Validation.TESTS,
            Validation.AGENT, Validation.BENCHMARK, DECIDE);

    private final Validation validation;

    Handlers(Validation validation) {
        this.validation = validation;
    }

    @Override
    public Map<String, Object> execute(TaskContext context) throws Exception {
        long id = ((Number) number(context.required("id"))).longValue();
        ValidationStep step = switch (context.action()) {
            case Validation.PREPARE -> validation.prepare(id);
            case Validation.BUILD -> validation.build(id);
            case Validation.TESTS -> validation.tests(id);
            case Validation.AGENT -> validation.agent(id);
            case Validation.BENCHMARK -> validation.benchmark(id);
            case DECIDE -> null;
            default -> throw new IllegalArgumentException(COMPONENT + ": unknown action '" + context.action()
                    + "'; actions: " + String.join(", ", ACTIONS));
        };
        Map<String, Object> out = new LinkedHashMap<>();
        if (step == null) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (context.input().get("errors") instanceof Map<?, ?> given) {
                given.forEach((k, v) -> errors.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            }
            Enhancement e = validation.decide(id, errors);
            out.put("status", e.status().id());
            out.put("reason", e.reason());
            return out;
        }
        out.put("passed", step.passed());
        out.put("message", step.message());
        out.put("checkId", step.checkId());
        return out;
    }

    private static Object number(Object id) {
        if (id instanceof Number) {
            return id;
        }
        try {
            return Long.parseLong(String.valueOf(id).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(COMPONENT + ": input 'id' must be an enhancement's id (a number); was '"
                    + id + "'");
        }
    }
}
