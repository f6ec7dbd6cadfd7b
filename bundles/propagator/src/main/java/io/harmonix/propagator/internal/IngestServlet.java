package io.harmonix.propagator.internal;

import io.harmonix.propagator.internal.ingest.Ingest;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The mesh's ingest endpoint on the HTTP Whiteboard: {@code POST <path>/<peer-id>} with a Standard Webhooks
 * request. The servlet only adapts HTTP; {@link Ingest} decides. A DS factory component: the ingest component
 * creates one instance with the whiteboard pattern of the path in force (a service property DS cannot derive from
 * the configuration by itself), and the instance follows the {@link Ingest} service as it comes and goes.
 */
@Component(factory = IngestServlet.FACTORY, service = Servlet.class,
        property = "osgi.http.whiteboard.servlet.name=harmonix-ingest")
public final class IngestServlet extends HttpServlet {
    public static final String FACTORY = "io.harmonix.propagator.ingest.servlet";
    /** The instance property of the whiteboard pattern: the ingest path in force followed by {@code /*}. */
    public static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 16 << 20;

    private transient volatile Ingest ingest;

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
        Ingest decides = ingest;
        if (decides == null) {
            // the index or the database is restarting: a 503 makes the sender retry, where a 404 would not
            answer(resp, new Ingest.Answer(503, "{\"error\":\"ingest not ready, try again\"}"));
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            answer(resp, new Ingest.Answer(413, "{\"error\":\"body larger than " + MAX_BODY + " bytes\"}"));
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            answer(resp, new Ingest.Answer(413, "{\"error\":\"body larger than " + MAX_BODY + " bytes\"}"));
            return;
        }
        answer(resp, decides.receive(peer, req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
                req.getHeader("webhook-signature"), body, req.getRemoteAddr()));
    }

    private static void answer(HttpServletResponse resp, Ingest.Answer a) throws IOException {
        resp.setStatus(a.status());
        resp.setContentType("application/json");
        byte[] out = a.json().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(out.length);
        resp.getOutputStream().write(out);
    }
}
