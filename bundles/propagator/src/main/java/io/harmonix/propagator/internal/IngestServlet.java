package io.harmonix.propagator.internal;

import io.harmonix.propagator.internal.ingest.Ingest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The mesh's ingest endpoint on the HTTP Whiteboard: {@code POST <path>/<peer-id>} with a Standard Webhooks
 * request. The servlet only adapts HTTP; {@link Ingest} decides. A DS factory component: the ingest component
 * creates one instance with the whiteboard pattern of the path in force (a service property DS cannot derive from
 * the configuration by itself) and the {@link IngestSettings} in force, and the instance follows the {@link Ingest}
 * service as it comes and goes.
 *
 * <p>Anyone can reach the endpoint, and the signature can only be checked once the body is in, so the body is
 * received under the limits of {@link IngestSettings}: a declared length over the limit is answered 413 before any
 * of it is read; a body that grows past it is cut at the limit (413); one more body than the concurrent cap is
 * answered 503 with Retry-After at once rather than queued; a body not in within the read timeout is answered 408.
 * Bodies are read with non-blocking I/O ({@link BodyReader}): a client that sends slowly holds a buffer and a
 * permit, never a server thread, so peers are served while slow clients wait.
 */
@Component(factory = IngestServlet.FACTORY, service = Servlet.class,
        property = {"osgi.http.whiteboard.servlet.name=harmonix-ingest",
                "osgi.http.whiteboard.servlet.asyncSupported=true"})
public final class IngestServlet extends HttpServlet {
    public static final String FACTORY = "io.harmonix.propagator.ingest.servlet";
    /** The instance property of the whiteboard pattern: the ingest path in force followed by {@code /*}. */
    public static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    /** The instance property holding the {@link IngestSettings} the instance starts with. */
    static final String SETTINGS = "harmonix.ingest.settings";
    private static final long serialVersionUID = 1L;

    /** The settings in force and the permits of the concurrent-body cap that goes with them. */
    record Limits(IngestSettings settings, Semaphore bodies) {
        Limits(IngestSettings settings) {
            this(settings, new Semaphore(settings.maxConcurrentBodies()));
        }
    }

    private transient volatile Ingest ingest;
    private transient volatile Limits limits;
    /** Cuts bodies that are not in within the read timeout (one thread: it only answers 408 and completes). */
    private final transient ScheduledExecutorService deadlines;

    @Activate
    public IngestServlet(Map<String, Object> properties) {
        limits = new Limits((IngestSettings) properties.get(SETTINGS));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("harmonix-ingest-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a body in on time leaves no task behind
        deadlines = timer;
    }

    @Deactivate
    void deactivate() {
        deadlines.shutdownNow();
    }

    /**
     * New limits, same path: taken in place (no new whiteboard registration, so peers never see a 404). Bodies
     * being received keep the permits of the cap they started under.
     */
    void configure(IngestSettings next) {
        if (!next.equals(limits.settings())) {
            limits = new Limits(next);
        }
    }

    /** @param ingest who decides, or null while the propagator is not there (answered 503: the sender retries) */
    @Reference(name = "ingest", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetIngest")
    public void setIngest(Ingest ingest) {
        this.ingest = ingest;
    }

    /** The propagator went (its index or database restarting, say): answer 503 until the next one comes. */
    public void unsetIngest(Ingest gone) {
        if (ingest == gone) {
            ingest = null;
        }
    }

    public Ingest ingest() {
        return ingest;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String peer = req.getPathInfo() == null ? "" : req.getPathInfo().replaceFirst("^/", "");
        if (ingest == null) {
            // the index or the database is restarting: a 503 makes the sender retry, where a 404 would not
            answerUnread(resp, new Ingest.Answer(503, "{\"error\":\"ingest not ready, try again\"}"));
            return;
        }
        Limits in = limits;
        int max = in.settings().maxBodyBytes();
        long declared = req.getContentLengthLong();
        if (declared > max) {
            answerUnread(resp, tooLarge(max));
            return;
        }
        if (!in.bodies().tryAcquire()) {
            answerUnread(resp, new Ingest.Answer(503, "{\"error\":\"the ingest endpoint is receiving "
                    + in.settings().maxConcurrentBodies() + " bodies already, try again\"}"));
            return;
        }
        AsyncContext async;
        try {
            async = req.startAsync();
            async.setTimeout(0); // BodyReader's own deadline cuts slow bodies; the container must not answer too
        } catch (RuntimeException e) {
            in.bodies().release();
            throw e;
        }
        String id = req.getHeader("webhook-id");
        String timestamp = req.getHeader("webhook-timestamp");
        String signature = req.getHeader("webhook-signature");
        String from = req.getRemoteAddr();
        BodyReader reader = new BodyReader(async, in, body -> decide(peer, id, timestamp, signature, body, from),
                declared);
        reader.start(deadlines);
    }

    /** Hands a whole body to the {@link Ingest} in force (it may have gone while the body came). */
    Ingest.Answer decide(String peer, String id, String timestamp, String signature, byte[] body, String from) {
        Ingest decides = ingest;
        if (decides == null) {
            return new Ingest.Answer(503, "{\"error\":\"ingest not ready, try again\"}");
        }
        return decides.receive(peer, id, timestamp, signature, body, from);
    }

    static Ingest.Answer tooLarge(int max) {
        return new Ingest.Answer(413, "{\"error\":\"body larger than " + max + " bytes (ingest.maxBodyBytes)\"}");
    }

    /** Answers before the body is read: the connection is closed, so that the unread body is never taken. */
    private static void answerUnread(HttpServletResponse resp, Ingest.Answer a) throws IOException {
        resp.setHeader("Connection", "close");
        answer(resp, a);
    }

    static void answer(HttpServletResponse resp, Ingest.Answer a) throws IOException {
        resp.setStatus(a.status());
        if (a.status() == 503) {
            resp.setHeader("Retry-After", Integer.toString(IngestSettings.RETRY_AFTER_SECONDS));
        }
        resp.setContentType("application/json");
        byte[] out = a.json().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(out.length);
        resp.getOutputStream().write(out);
    }
}
