package io.harmonix.proposals.model.internal;

import io.harmonix.config.api.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * The checked configuration of model-backed proposals (PID {@value #PID}).
 *
 * @param enabled off unless set: nothing is sent anywhere while it is false
 * @param url the endpoint's base URL; requests go to {@code URL/chat/completions}
 * @param model the model named in each request
 * @param secretFile the file holding {@code {"apiKey": "..."}}
 * @param prompts the folder of the prompt templates, one {@code TYPE.md} per agent type
 * @param timeout the longest wait for one answer (connect and answer)
 * @param maxFindings findings asked about per cycle (one command) at most; the rest are skipped and said so
 * @param perMinute requests per minute at most
 * @param contextLines lines of code shown before and after the finding
 */
record ModelSettings(boolean enabled, URI url, String model, Path secretFile, Path prompts, Duration timeout,
        int maxFindings, double perMinute, int contextLines) {
    static final String PID = "io.harmonix.proposals.model";

    /**
     * @param home the runtime's home: relative files are taken from it
     * @throws IllegalArgumentException naming every wrong property and what was expected
     */
    static ModelSettings of(ModelComponent.Config c, Path home) {
        List<String> problems = new ArrayList<>();
        URI url = null;
        if (c.enabled() || !c.url().isBlank()) {
            try {
                url = URI.create(c.url().strip().replaceAll("/+$", ""));
                if (!List.of("http", "https").contains(String.valueOf(url.getScheme())) || url.getHost() == null) {
                    problems.add("url: expected an http(s) URL such as https://host/v1; was '" + c.url() + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add("url: not a URL: " + e.getMessage());
            }
        }
        if (c.enabled() && c.model().isBlank()) {
            problems.add("model: expected the model's name (sent as \"model\" in each request)");
        }
        Duration timeout = null;
        try {
            timeout = Durations.parse(c.timeout());
        } catch (IllegalArgumentException e) {
            problems.add("timeout: " + e.getMessage());
        }
        if (c.maxFindingsPerCycle() < 1) {
            problems.add("maxFindingsPerCycle: expected at least 1; was " + c.maxFindingsPerCycle());
        }
        if (!(c.requestsPerMinute() > 0)) {
            problems.add("requestsPerMinute: expected more than 0; was " + c.requestsPerMinute());
        }
        if (c.contextLines() < 0) {
            problems.add("contextLines: expected 0 or more; was " + c.contextLines());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(PID + ": " + String.join("; ", problems));
        }
        return new ModelSettings(c.enabled(), url, c.model().strip(), home.resolve(c.secret()).normalize(),
                home.resolve(c.prompts()).normalize(), timeout, c.maxFindingsPerCycle(), c.requestsPerMinute(),
                c.contextLines());
    }

    static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("harmonix.home");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
