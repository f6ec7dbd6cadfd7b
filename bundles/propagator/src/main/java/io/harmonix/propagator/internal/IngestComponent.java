package io.harmonix.propagator.internal;

import io.harmonix.propagator.internal.ingest.Ingest;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Keeps the ingest servlet on the HTTP Whiteboard for as long as the bundle is active, apart from the
 * propagator: while the index or the database restarts (and with them the {@link Ingest}), peers get 503 and
 * retry, instead of a 404 that would count toward dead-lettering their cycles. It creates the one
 * {@link IngestServlet} instance at the {@code ingest.path} in force, and replaces it when a right configuration
 * names another path; a wrong {@code ingest.path} changes nothing (the propagator component logs every problem of
 * the configuration, this key included).
 *
 * <p>This class and {@link IngestServlet} sort before {@code PropagatorComponent} on purpose: bnd lists a bundle's
 * components by class name, SCR enables them in that order and activates an immediate one before it enables the
 * next, so the servlet is on the whiteboard (answering 503) before the propagator spends its activation migrating
 * and reading files; after it, peers would get 404s meanwhile.
 */
@Component(immediate = true, service = {}, configurationPid = PropagatorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class IngestComponent {
    private final ComponentFactory<IngestServlet> servlets;
    private String path;
    private ComponentInstance<IngestServlet> servlet;

    @Activate
    public IngestComponent(PropagatorComponent.Config config, Map<String, Object> properties,
            @Reference(name = "servlets", target = "(component.factory=" + IngestServlet.FACTORY + ")")
            ComponentFactory<IngestServlet> servlets) {
        this.servlets = servlets;
        path = PropagatorSettings.readIngestPath(config, properties).orElseThrow();
        servlet = open(path);
    }

    @Modified
    synchronized void modified(PropagatorComponent.Config config, Map<String, Object> properties) {
        PropagatorSettings.readIngestPath(config, properties).applyOrReport(this::moveTo, refusal -> { });
    }

    @Deactivate
    synchronized void deactivate() {
        servlet.dispose();
    }

    private void moveTo(String next) {
        if (!next.equals(path)) {
            servlet.dispose();
            servlet = open(next);
            path = next;
        }
    }

    private ComponentInstance<IngestServlet> open(String at) {
        Dictionary<String, Object> whiteboard = new Hashtable<>();
        whiteboard.put(IngestServlet.PATTERN, at + "/*");
        return servlets.newInstance(whiteboard);
    }
}
