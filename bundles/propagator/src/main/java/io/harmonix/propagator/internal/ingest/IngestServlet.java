package io.harmonix.propagator.internal.ingest;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The mesh's ingest endpoint on the HTTP Whiteboard: {@code POST <path>/<peer-id>} with a Standard Webhooks
 * request. The servlet only adapts HTTP; {@link Ingest} decides.
 */
public final class IngestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 16 << 20;

    private final transient Ingest ingest;

    public IngestServlet(Ingest ingest) {
        this.ingest = ingest;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String peer = req.getPathInfo() == null ? "" : req.getPathInfo().replaceFirst("^/", "");
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
        answer(resp, ingest.receive(peer, req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
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
