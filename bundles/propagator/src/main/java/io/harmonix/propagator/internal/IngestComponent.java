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
 * {@link IngestServlet} instance at the {@code ingest.path} in force, with the ingest limits in force
 * ({@link IngestSettings}), replaces it when a right configuration names another path and hands it new limits in
 * place otherwise; a wrong {@code ingest.*} key changes nothing (the propagator component logs every problem of
 * the configuration, these keys included).
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
    private IngestSettings settings;
    private ComponentInstance<IngestServlet> servlet;

    @Activate
    public IngestComponent(PropagatorComponent.Config config, Map<String, Object> properties,
            @Reference(name = "servlets", target = "(component.factory=" + IngestServlet.FACTORY + ")")
            ComponentFactory<IngestServlet> servlets) {
        this.servlets = servlets;
        settings = IngestSettings.read(config, properties).orElseThrow();
        servlet = open(settings);
    }

    @Modified
    synchronized void modified(PropagatorComponent.Config config, Map<String, Object> properties) {
        IngestSettings.read(config, properties).applyOrReport(this::moveTo, refusal -> { });
    }

    @Deactivate
    synchronized void deactivate() {
        servlet.dispose();
    }

    /** Another path: a new servlet there; the same path: the new limits taken in place, the servlet stays. */
    private void moveTo(IngestSettings next) {
        if (!next.path().equals(settings.path())) {
            servlet.dispose();
            servlet = open(next);
        } else {
            servlet.getInstance().configure(next);
        }
        settings = next;
    }

    private ComponentInstance<IngestServlet> open(IngestSettings with) {
        Dictionary<String, Object> whiteboard = new Hashtable<>();
        whiteboard.put(IngestServlet.PATTERN, with.path() + "/*");
        whiteboard.put(IngestServlet.SETTINGS, with);
        return servlets.newInstance(whiteboard);
    }
}
