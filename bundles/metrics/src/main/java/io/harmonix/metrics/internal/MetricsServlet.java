package io.harmonix.metrics.internal;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /metrics} on the HTTP Whiteboard (the port and host of Felix HTTP, the propagator's ingest beside it):
 * the registry in the Prometheus text format 0.0.4. Read-only: every other method is answered 405. The body is
 * written into memory first, so that a collector failing half-way gives a 500, not a truncated 200 a scraper
 * would take as the whole.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/metrics",
        "osgi.http.whiteboard.servlet.name=harmonix-metrics"})
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    @Reference
    private transient MetricsHub hub;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ByteArrayOutputStream body = render(hub.registry());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }

    /** @return the registry's series in the text format 0.0.4 */
    static ByteArrayOutputStream render(io.prometheus.metrics.model.registry.PrometheusRegistry registry)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        WRITER.write(body, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        return body;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException,
            jakarta.servlet.ServletException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "/metrics is read-only: GET it");
            return;
        }
        super.service(request, response);
    }
}
