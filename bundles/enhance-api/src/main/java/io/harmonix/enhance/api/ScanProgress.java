package io.harmonix.enhance.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where agents report how far a long scan has got; whoever shows progress (a command, a console) provides it as a
 * service, and agents take it as an optional reference. Calls must be cheap: agents call it per file.
 */
@ProviderType
public interface ScanProgress {
    /**
     * @param runId the run the cycle belongs to
     * @param agentId the agent instance
     * @param done files analysed so far
     * @param total files to analyse
     */
    void update(String runId, String agentId, int done, int total);
}
