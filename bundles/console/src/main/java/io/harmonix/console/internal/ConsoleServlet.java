package io.harmonix.console.internal;

import io.harmonix.autonomy.api.AutonomyController;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.runner.api.CycleRunner;
import io.harmonix.state.api.RunJournal;
import io.harmonix.workflow.api.WorkflowService;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The web console on the HTTP Whiteboard: pages under {@code /console} (one HTML shell whose script draws the page
 * its path names, from the JSON API), the JSON API under {@code /console/api}, the script and style from the bundle
 * under {@code /console/static} (nothing from the network). Reading is free on loopback and needs the token
 * elsewhere; changing needs it always ({@link Access}). The services it reads are optional: a page whose service
 * is restarting answers 503 and the rest of the console stays.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.name=harmonix-console",
        "osgi.http.whiteboard.servlet.pattern=/console/*", "osgi.http.whiteboard.servlet.asyncSupported=true"})
public final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The pages; each is the same shell, drawn by the script from the path. */
    private static final Set<String> PAGES = Set.of("runs", "instances", "findings", "autonomy", "states", "index",
            "waves", "fleet", "ledger", "changes");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript;charset=utf-8", "css",
            "text/css;charset=utf-8", "html", "text/html;charset=utf-8", "svg", "image/svg+xml");

    private final transient Access access;
    private final transient LiveRuns liveRuns;
    private final transient LiveInstances liveInstances;
    private final transient Parts parts = new Parts();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile CycleRunner runner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile RunJournal journal;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile WorkflowService engine;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile AutonomyController autonomy;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile DecisionLog decisions;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPart(ConsolePart part) {
        parts.bind(part);
    }

    void unbindPart(ConsolePart part) {
        parts.unbind(part);
    }

    @Activate
    public ConsoleServlet(BundleContext context, @Reference LiveRuns liveRuns,
            @Reference LiveInstances liveInstances) throws IOException {
        this(Path.of(context.getProperty("harmonix.home") == null ? "." : context.getProperty("harmonix.home"),
                "etc"), context.getProperty("org.apache.felix.http.host"), liveRuns, liveInstances);
    }

    /** @param etc the runtime's etc folder (the token file's) @param httpHost the host the HTTP server binds */
    ConsoleServlet(Path etc, String httpHost, LiveRuns liveRuns, LiveInstances liveInstances) throws IOException {
        this(etc, httpHost, liveRuns, liveInstances, java.time.Clock.systemUTC());
    }

    /** @param clock what sessions expire by */
    ConsoleServlet(Path etc, String httpHost, LiveRuns liveRuns, LiveInstances liveInstances, java.time.Clock clock)
            throws IOException {
        this.access = Access.open(etc.resolve("console.token"), httpHost, clock);
        this.liveRuns = liveRuns;
        this.liveInstances = liveInstances;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = parts(req);
        try {
            if (path.isEmpty()) {
                resp.sendRedirect(req.getContextPath() + "/console/runs");
            } else if (path.get(0).equals("static") && path.size() == 2) {
                serveStatic(path.get(1), resp); // the script and style hold no data: no token needed
            } else if (path.get(0).equals("api") && Parts.owns(path.subList(1, path.size()))) {
                access.checkRead(req); // the parts over the other bundles' services (Parts)
                parts.get(path.subList(1, path.size()), req, resp);
            } else if (path.get(0).equals("api")) {
                access.checkRead(req);
                ApiRoutes.get(path.subList(1, path.size()), services(), req, resp);
            } else if (path.get(0).equals("login") && path.size() == 1) {
                page(path, resp); // the login form: no data in it
            } else if (PAGES.contains(path.get(0)) && path.size() <= 2) {
                try {
                    access.checkRead(req);
                } catch (ApiException e) {
                    if (e.status() != 401) {
                        throw e;
                    }
                    // the page, empty of data, with its status: its script shows the login form
                    resp.setHeader("WWW-Authenticate", "Bearer realm=\"harmonix-console\"");
                    resp.setStatus(401);
                    resp.setHeader("Cache-Control", "no-store");
                    copy("console.html", TYPES.get("html"), resp);
                    return;
                }
                page(path, resp);
            } else {
                throw ApiException.notFound("no page '/console/" + String.join("/", path) + "'");
            }
        } catch (ApiException e) {
            refuse(resp, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = parts(req);
        try {
            if (path.size() == 1 && path.get(0).equals("login")) {
                access.login(req, resp);
                return;
            }
            if (path.size() == 1 && path.get(0).equals("logout")) {
                access.logout(req, resp);
                return;
            }
            if (path.isEmpty() || !path.get(0).equals("api")) {
                throw ApiException.notFound("no API to POST to at '/console/" + String.join("/", path) + "'");
            }
            if (Parts.owns(path.subList(1, path.size()))) {
                // the parts' POSTs only read (an index verify): reading's access, from the console's own pages
                access.checkReadingPost(req);
                parts.post(path.subList(1, path.size()), req, resp);
                return;
            }
            access.checkControl(req);
            ApiRoutes.post(path.subList(1, path.size()), services(), req, resp);
        } catch (ApiException e) {
            refuse(resp, e);
        }
    }

    private void refuse(HttpServletResponse resp, ApiException e) throws IOException {
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"harmonix-console\"");
        }
        if (e instanceof WrongTokens.TooMany t) {
            resp.setHeader("Retry-After", Long.toString(t.retryAfterSeconds()));
        }
        if (e instanceof ApiException.WrongMethod m) {
            resp.setHeader("Allow", m.allow());
        }
        if (!resp.isCommitted()) {
            Json.error(resp, e.status(), e.getMessage());
        }
    }

    /**
     * A page: the shell. A run or instance that does not exist is answered 404 already here (the script then
     * shows the API's error naming it), so a bookmark to something gone is not a 200.
     */
    private void page(List<String> path, HttpServletResponse resp) throws IOException {
        int status = 200;
        if (path.size() == 2) {
            boolean exists = switch (path.get(0)) {
                case "runs" -> runner == null || runner.run(path.get(1)).isPresent();
                case "instances" -> engine == null || engine.instance(path.get(1)).isPresent();
                default -> parts.exists(path.get(0), path.get(1));
            };
            status = exists ? 200 : 404;
        }
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        copy("console.html", TYPES.get("html"), resp);
    }

    private void serveStatic(String name, HttpServletResponse resp) throws IOException {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        if (!name.matches("[a-z0-9-]+\\.[a-z]+") || !TYPES.containsKey(ext)) {
            throw ApiException.notFound("no file '/console/static/" + name + "'");
        }
        resp.setHeader("Cache-Control", "max-age=60");
        copy(name, TYPES.get(ext), resp);
    }

    private void copy(String name, String type, HttpServletResponse resp) throws IOException {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw ApiException.notFound("no file '/console/static/" + name + "'");
            }
            resp.setContentType(type);
            in.transferTo(resp.getOutputStream());
        }
    }

    private static List<String> parts(HttpServletRequest req) {
        String info = req.getPathInfo();
        List<String> out = new ArrayList<>();
        if (info != null) {
            for (String p : info.split("/")) {
                if (!p.isEmpty()) {
                    out.add(java.net.URLDecoder.decode(p, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private ApiRoutes.Services services() {
        return new ApiRoutes.Services(runner, journal, engine, autonomy, decisions, liveRuns, liveInstances);
    }

}
