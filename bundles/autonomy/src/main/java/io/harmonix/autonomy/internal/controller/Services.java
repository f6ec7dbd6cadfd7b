package io.harmonix.autonomy.internal.controller;

import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.workflow.api.EventService;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The services the controller takes when they are there (DS sets and unsets them as bundles come and go), and what
 * it does with the few that need more than a read: the trigger event's subscription, the toggles saved through
 * Configuration Admin, the text masked by every SecretMasker.
 */
final class Services {
    volatile EventService events;
    volatile ConfigurationAdmin admin;
    final List<SecretMasker> maskers = new CopyOnWriteArrayList<>();
    private volatile AutoCloseable subscription;

    /** Subscribes to {@value io.harmonix.autonomy.api.AutonomyController#TRIGGER_EVENT}: each one starts a run. */
    synchronized void subscribe(EventService e, Runnable onTrigger) {
        closeSubscription();
        events = e;
        subscription = e.subscribe(io.harmonix.autonomy.api.AutonomyController.TRIGGER_EVENT, null,
                ev -> onTrigger.run());
    }

    synchronized void unsubscribe(EventService e) {
        if (events == e) {
            closeSubscription();
            events = null;
        }
    }

    synchronized void closeSubscription() {
        AutoCloseable s = subscription;
        subscription = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception ignored) {
                // the event service is going away with it
            }
        }
    }

    /** P-001: the text with every secret any masker knows hidden. */
    String mask(String text) {
        String t = text;
        for (SecretMasker m : maskers) {
            t = m.mask(t);
        }
        return t;
    }

    /** Saves toggles in the controller's configuration; FileInstall writes them back to its .cfg file. */
    void saveToggles(Map<String, Object> changed) throws IOException {
        ConfigurationAdmin a = admin;
        if (a == null) {
            throw new IOException("Configuration Admin is not running");
        }
        Configuration c = a.getConfiguration(AutonomyControllerComponent.PID, "?");
        Dictionary<String, Object> p = c.getProperties();
        Dictionary<String, Object> props = p == null ? new Hashtable<>() : p;
        changed.forEach((k, v) -> props.put(k, String.valueOf(v)));
        c.update(props);
    }
}
