package io.harmonix.runner.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * {@link ServiceDiagnosis} from Declarative Services' own account of its components (DS 1.5 DTOs): a component
 * that provides the service and failed to activate gives its failure; one that waits for a reference gives why
 * that reference's service is absent, followed down the chain (the run journal waits for the DataSource, which
 * failed). Only definite failures count: a component being activated, or a bundle being stopped or updated, is
 * worth waiting for, so that a restart of the index or the store still makes runs wait rather than fail.
 */
final class ComponentDiagnosis implements ServiceDiagnosis {
    private static final int DEPTH = 4;
    /** The service property naming the folder of the store bundle's DataSource (its DerbyDataSource instances). */
    private static final String STORE_DIRECTORY = "harmonix.store.directory";

    private final ServiceComponentRuntime scr;

    ComponentDiagnosis(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    @Override
    public String whyAbsent(String service) {
        try {
            return whyAbsent(service, new HashSet<>(), DEPTH);
        } catch (RuntimeException e) {
            return null; // a bundle going away under us: nothing definite
        }
    }

    private String whyAbsent(String service, Set<String> seen, int depth) {
        if (depth == 0 || !seen.add(service)) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!List.of(d.serviceInterfaces).contains(service) || !scr.isComponentEnabled(d)) {
                continue;
            }
            String who = "component " + d.name + " (bundle " + d.bundle.symbolicName + ")";
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                        // published, or about to be: worth waiting for
                        return null;
                    }
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                        String database = storeDirectory(c);
                        reasons.add(who + " failed to start" + (database == null ? "" : " (its database: " + database
                                + ")") + ": " + failure(c.failure));
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                            String iface = referenceInterface(d, r.name);
                            String why = iface == null ? null : whyAbsent(iface, seen, depth - 1);
                            if (why == null) {
                                return null; // waits for something that may yet come
                            }
                            reasons.add(who + " waits for its " + r.name + " (" + iface + "): " + why);
                        }
                    }
                    default -> {
                        return null; // waits for its configuration: someone may be writing it
                    }
                }
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * The folder of the store a component was bound to (the DataSource's {@value #STORE_DIRECTORY} property): a
     * database's own errors ("DDL is not permitted for a read-only connection") do not name it.
     */
    private static String storeDirectory(ComponentConfigurationDTO c) {
        for (var r : c.satisfiedReferences) {
            for (var s : r.boundServices == null ? new org.osgi.framework.dto.ServiceReferenceDTO[0] : r.boundServices) {
                Object dir = s.properties == null ? null : s.properties.get(STORE_DIRECTORY);
                if (dir != null) {
                    return dir.toString();
                }
            }
        }
        return null;
    }

    private static String referenceInterface(ComponentDescriptionDTO d, String name) {
        for (var r : d.references) {
            if (r.name.equals(name)) {
                return r.interfaceName;
            }
        }
        return null;
    }

    /**
     * DS keeps a failure as its stack trace: the component's own exception (the first cause under the
     * reflection's InvocationTargetException) says what it was doing, the deepest cause what the system said.
     */
    static String failure(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return "(no reason given)";
        }
        List<String> causes = new ArrayList<>();
        for (String line : stackTrace.split("\\R")) {
            if (causes.isEmpty()) {
                causes.add(line.trim());
            } else if (line.startsWith("Caused by: ")) {
                causes.add(line.substring("Caused by: ".length()).trim());
            }
        }
        if (causes.size() > 1 && causes.get(0).startsWith("java.lang.reflect.InvocationTargetException")) {
            causes.remove(0);
        }
        String first = causes.get(0);
        String last = causes.get(causes.size() - 1);
        String deepest = last.substring(last.indexOf(':') + 1).trim();
        return first.contains(deepest) ? first : first + " (cause: " + last + ")";
    }
}
