package io.harmonix.propagator.internal;

import io.harmonix.propagator.internal.ingest.Ingest;
import io.harmonix.propagator.internal.ingest.IngestServlet;
import jakarta.servlet.Servlet;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Keeps the ingest servlet on the HTTP Whiteboard for as long as the bundle is active, apart from the
 * propagator: while the index or the database restarts (and with them the {@link Ingest}), peers get 503 and
 * retry, instead of a 404 that would count toward dead-lettering their cycles.
 */
@Component(immediate = true, service = {}, configurationPid = PropagatorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class IngestComponent {
    private final IngestServlet servlet = new IngestServlet();
    private ServiceRegistration<?> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIngest(Ingest ingest) {
        servlet.setIngest(ingest);
    }

    void unsetIngest(Ingest ingest) {
        if (servlet.ingest() == ingest) {
            servlet.setIngest(null);
        }
    }

    @Activate
    void activate(Map<String, Object> props, BundleContext context) {
        String path;
        try {
            path = PropagatorSettings.parse(props).ingestPath();
        } catch (IllegalArgumentException e) {
            path = PropagatorSettings.DEFAULTS.ingestPath(); // the propagator component logs the errors
        }
        Hashtable<String, Object> whiteboard = new Hashtable<>();
        whiteboard.put("osgi.http.whiteboard.servlet.pattern", path + "/*");
        whiteboard.put("osgi.http.whiteboard.servlet.name", "harmonix-ingest");
        registration = context.registerService(Servlet.class, servlet, whiteboard);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
