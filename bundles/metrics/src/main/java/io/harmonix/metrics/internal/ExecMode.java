package io.harmonix.metrics.internal;

import org.osgi.framework.BundleContext;

/**
 * Whether the runtime runs in exec mode (one script, then it stops: the launcher sets {@value #PROPERTY}). Exec mode
 * has no HTTP port, so nothing scrapes {@code /metrics} there: the collectors read the records they start from at
 * their first scrape instead of at activation, where those reads booted the database for every command.
 */
final class ExecMode {
    static final String PROPERTY = "harmonix.exec";

    private ExecMode() {
    }

    static boolean of(BundleContext context) {
        return context.getProperty(PROPERTY) != null;
    }
}
