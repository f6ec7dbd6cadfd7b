package io.harmonix.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.state.api.RunJournal;
import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.WorkflowService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON API under {@code /console/api}: what the pages read, so scripts need no scraping. Each part answers
 * 503 while the service it reads is not there (a bundle restarting), 404 naming what does not exist, 400 naming a
 * bad parameter.
 */
final class ApiRoutes {
    /** The services in force at the time of one request. */
    record Services(CycleRunner runner, RunJournal journal, WorkflowService engine, AutonomyController autonomy,
            DecisionLog decisions, LiveRuns liveRuns, LiveInstances liveInstances) {
    }

    private ApiRoutes() {
    }

    static void get(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        Page.of(req); // bad paging is answered 400 before anything else, whatever the API
        String head = p.isEmpty() ? "" : p.get(0);
        switch (head) {
            case "runs" -> runs(p, s, req, resp);
            case "definitions" -> Json.send(resp, 200, Page.of(req).slice(need(s.engine(), "workflow engine")
                    .definitions().stream().map(ApiRoutes::definition).toList()));
            case "instances" -> instances(p, s, req, resp);
            case "findings" -> findings(p, s, req, resp);
            case "findings.sarif" -> {
                // a page too, of up to Page.MAX findings by default: a download is bounded as a page is
                CycleRunner runner = need(s.runner(), "runner");
                FindingsApi.Of page = new FindingsApi(runner, new RunsApi(runner, s.journal()))
                        .page(Page.of(req, Page.MAX), run(req));
                resp.setHeader("Content-Disposition", "attachment; filename=\"harmonix-findings.sarif\"");
                resp.setHeader("X-Harmonix-More", Boolean.toString(page.more()));
                Json.send(resp, 200, Sarif.log(page.items()));
            }
            case "autonomy" -> autonomy(p, s, req, resp);
            default -> throw ApiException.notFound("no API '/console/api/" + String.join("/", p) + "'");
        }
    }

    private static void runs(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        RunsApi runs = new RunsApi(need(s.runner(), "runner"), s.journal());
        if (p.size() == 1) {
            Json.send(resp, 200, runs.runs(Page.of(req)));
        } else if (p.size() == 2 && p.get(1).equals("events")) {
            s.liveRuns().follow(LiveRuns.ALL, 0, runs, req, resp);
        } else if (p.size() == 2) {
            Json.send(resp, 200, runs.run(p.get(1)));
        } else if (p.size() == 3 && p.get(2).equals("cycles")) {
            Json.send(resp, 200, runs.cycles(p.get(1), Page.of(req)));
        } else if (p.size() == 4 && p.get(2).equals("cycles")) {
            Json.send(resp, 200, runs.cycle(p.get(1), p.get(3)));
        } else if (p.size() == 3 && p.get(2).equals("events")) {
            runs.run(p.get(1));
            s.liveRuns().follow(p.get(1), after(req), runs, req, resp);
        } else {
            throw ApiException.notFound("no API '/console/api/" + String.join("/", p) + "'");
        }
    }

    private static void instances(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        WorkflowService engine = need(s.engine(), "workflow engine");
        if (p.size() == 1) {
            Json.send(resp, 200, Page.of(req).slice(engine.instances().stream().map(ApiRoutes::instanceRow)
                    .toList()));
            return;
        }
        InstanceInfo i = engine.instance(p.get(1))
                .orElseThrow(() -> ApiException.notFound("no workflow instance '" + p.get(1) + "'"));
        if (p.size() == 2) {
            Json.send(resp, 200, i);
        } else if (p.size() == 3 && p.get(2).equals("graph")) {
            DefinitionInfo d = engine.definition(i.workflow(), i.version()).orElseThrow(() -> ApiException
                    .notFound("the definition " + i.workflow() + " " + i.version() + " of instance '" + i.id()
                            + "' is no longer deployed"));
            Json.send(resp, 200, WorkflowGraph.of(d, i));
        } else if (p.size() == 3 && p.get(2).equals("events")) {
            s.liveInstances().follow(i, req, resp);
        } else {
            throw ApiException.notFound("no API '/console/api/" + String.join("/", p) + "'");
        }
    }

    private static void findings(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        CycleRunner runner = need(s.runner(), "runner");
        FindingsApi findings = new FindingsApi(runner, new RunsApi(runner, s.journal()));
        if (p.size() == 1) {
            Json.send(resp, 200, findings.page(Page.of(req), run(req)));
        } else if (p.size() == 2) {
            Json.send(resp, 200, findings.one(p.get(1), run(req)));
        } else {
            throw ApiException.notFound("no API '/console/api/" + String.join("/", p) + "'");
        }
    }

    private static void autonomy(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        AutonomyController a = need(s.autonomy(), "autonomy controller");
        if (p.size() == 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("toggles", a.toggles());
            m.put("status", a.status());
            Json.send(resp, 200, m);
        } else if (p.size() == 2 && p.get(1).equals("decisions")) {
            // the log gives the newest first up to a count: a page is the tail of limit + offset of them
            Page page = Page.of(req);
            List<io.harmonix.autonomy.api.Decision> newest = need(s.decisions(), "decision log")
                    .decisions(page.offset() + page.limit());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("items", newest.subList(Math.min(page.offset(), newest.size()), newest.size()));
            m.put("limit", page.limit());
            m.put("offset", page.offset());
            m.put("more", newest.size() == page.offset() + page.limit());
            Json.send(resp, 200, m);
        } else {
            throw ApiException.notFound("no API '/console/api/" + String.join("/", p) + "'");
        }
    }

    /**
     * {@code POST /console/api/autonomy/toggles/NAME} with {@code {"value": "..."}}, or {@code POST
     * /console/api/autonomy/quarantine} with {@code {"on": true, "reason": "..."}}: the controller records each as
     * a decision before it acts. The caller has shown the token.
     */
    static void post(List<String> p, Services s, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (p.size() < 2 || !p.get(0).equals("autonomy")) {
            throw ApiException.notFound("no API to POST to at '/console/api/" + String.join("/", p) + "'");
        }
        JsonNode body = body(req);
        AutonomyController a = need(s.autonomy(), "autonomy controller");
        try {
            if (p.size() == 3 && p.get(1).equals("toggles")) {
                JsonNode v = body.path("value");
                if (v.isMissingNode() || v.isNull() || v.isContainerNode()) {
                    throw ApiException.badRequest("field 'value': expected the toggle's new value, e.g. "
                            + "{\"value\": \"false\"}");
                }
                Json.send(resp, 200, a.toggle(p.get(2), v.asText(), "console"));
            } else if (p.size() == 2 && p.get(1).equals("quarantine")) {
                if (!body.path("on").isBoolean()) {
                    throw ApiException.badRequest("field 'on': expected true or false");
                }
                String reason = body.path("reason").asText("");
                if (reason.isBlank()) {
                    throw ApiException.badRequest("field 'reason': a reason is required to change quarantine");
                }
                Json.send(resp, 200, a.quarantine(body.path("on").asBoolean(), reason, "console"));
            } else {
                throw ApiException.notFound("no API to POST to at '/console/api/" + String.join("/", p) + "'");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static JsonNode body(HttpServletRequest req) throws IOException {
        try {
            JsonNode n = Json.MAPPER.readTree(req.getInputStream().readNBytes(64 * 1024));
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** @return the parameter {@code run} (the findings of that run only), or null */
    private static String run(HttpServletRequest req) {
        String run = req.getParameter("run");
        return run == null || run.isBlank() ? null : run;
    }

    private static long after(HttpServletRequest req) {
        String a = req.getParameter("after");
        try {
            return a == null ? 0 : Math.max(0, Long.parseLong(a));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter 'after': expected a cycle number, got '" + a + "'");
        }
    }

    private static <T> T need(T service, String what) {
        if (service == null) {
            throw new ApiException(503, "the " + what + " is not available now (starting or restarting)");
        }
        return service;
    }

    private static Map<String, Object> definition(DefinitionInfo d) {
        return Map.of("name", d.name(), "version", d.version(), "description", d.description(), "tasks",
                d.tasks().size(), "deployedAt", d.deployedAt());
    }

    private static Map<String, Object> instanceRow(InstanceInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("workflow", i.workflow());
        m.put("version", i.version());
        m.put("state", i.state());
        m.put("startedAt", i.startedAt());
        m.put("endedAt", i.endedAt());
        m.put("tasks", i.tasks().size());
        return m;
    }
}
