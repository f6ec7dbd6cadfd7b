package io.harmonix.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;

/**
 * Loads, on a thread of its own, the classes the bundles will load as they start, in the order a training start
 * loaded them ({@code bin/harmonix cds} records them in {@code lib/harmonix.classes} beside the class-data archive).
 *
 * <p>Why: the bundles start one after the other on Felix's start-level thread, and about a quarter of that thread's
 * time was loading classes (reading them from the bundle's jar, defining them, mostly from the class-data archive);
 * meanwhile the launcher's own thread only waits. Loaded here first, they are found already loaded when the start
 * needs them. Only loaded, never initialized: no static initializer runs earlier or on another thread than without
 * this, so what a start does and in which order is unchanged; Felix's bundle class loaders are parallel capable.
 *
 * <p>Not preloaded: the classes of bundles that SPI Fly weaves as service-loader consumers (slf4j-api,
 * commons-logging): SPI Fly weaves a class only once it tracks the bundle, which is when the bundle starts, so a
 * class defined before would keep its plain {@code ServiceLoader} calls (a class of another bundle loaded here
 * loads its superclass too; none of theirs extends a class that calls {@code ServiceLoader}); nor those of a bundle
 * that did not resolve. A line naming a bundle that is not booted or a class that is gone (a list older than the
 * bundles) is passed over.
 */
final class ClassPreload {
    static final String FILE = "harmonix.classes";

    private ClassPreload() {
    }

    /** Records the classes the bundles define, in order, from now until {@link Recording#write} (the training). */
    static Recording record(BundleContext system) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        WeavingHook hook = woven -> {
            Bundle b = woven.getBundleWiring().getBundle();
            if (!woven.getClassName().contains("$$Lambda") && !wovenByServiceLoaderMediator(b)) {
                lines.add(b.getSymbolicName() + " " + woven.getClassName());
            }
        };
        // registered by hand, not by DS: the launcher is not a bundle (DS runs inside the framework it starts), and
        // the hook must be in place on the system bundle before the first bundle defines a class
        return new Recording(system.registerService(WeavingHook.class, hook, null), lines);
    }

    record Recording(ServiceRegistration<WeavingHook> registration, List<String> lines) {
        void write(Path file) throws IOException {
            List<String> copy;
            synchronized (lines) {
                copy = new ArrayList<>(lines);
            }
            Files.write(file, copy, StandardCharsets.UTF_8);
        }
    }

    /**
     * Starts the thread that loads the listed classes; null when there is no list. The thread ends at the end of the
     * list, or as soon as the framework is no longer starting or active.
     */
    static Thread start(Bundle framework, List<Bundle> installed, Path list) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no list (no class-data archive made yet) or unreadable: the start goes without
        }
        Map<String, Bundle> bySymbolicName = new HashMap<>();
        for (Bundle b : installed) {
            // a bundle left unresolved by the start's resolution would be tried again, and fail again, at every
            // class asked of it (a framework error each time); it is reported once, at its start, as before
            boolean resolved = (b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0;
            if (resolved && !wovenByServiceLoaderMediator(b)) {
                bySymbolicName.putIfAbsent(b.getSymbolicName(), b);
            }
        }
        Thread preload = new Thread(() -> {
            for (String line : lines) {
                if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                    return;
                }
                int space = line.indexOf(' ');
                Bundle b = space < 0 ? null : bySymbolicName.get(line.substring(0, space));
                if (b == null) {
                    continue;
                }
                try {
                    b.loadClass(line.substring(space + 1)); // loads, does not initialize
                } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                    // gone, or a bundle being stopped: the start loads what it needs itself
                }
            }
        }, "harmonix-preload");
        preload.setDaemon(true);
        preload.start();
        return preload;
    }

    /** A bundle SPI Fly weaves: it requires the service-loader processor or names itself an SPI consumer. */
    static boolean wovenByServiceLoaderMediator(Bundle b) {
        String required = b.getHeaders("").get("Require-Capability");
        return b.getHeaders("").get("SPI-Consumer") != null
                || required != null && required.contains("osgi.serviceloader.processor");
    }
}
