package io.harmonix.propagator.api;

import java.util.List;

/**
 * A connected endpoint, as {@code etc/registry.json} declares it (its secret by name only: the values stay in
 * {@code etc/pulse.json}).
 *
 * @param id unique name, 1-64 letters, digits, '.', '-' or '_'
 * @param url where snapshots are POSTed (http or https)
 * @param namespaces index namespaces it receives (never empty)
 * @param runs run ids it receives, '*' and '?' as wildcards (never empty; ["*"] = all)
 * @param events cycle events it receives: cycle.ok, cycle.partial, cycle.failed
 * @param enabled false: nothing is sent to it
 * @param ratePerSecond requests per second at most
 * @param burst requests that may go at once after a quiet time
 * @param secret name of its entry in pulse.json (signing secrets and an optional bearer token)
 * @param schedule "continuous" or a cron expression (from the configuration, not the registry)
 */
public record Endpoint(String id, String url, List<String> namespaces, List<String> runs, List<String> events,
        boolean enabled, double ratePerSecond, int burst, String secret, String schedule) {
    public Endpoint {
        namespaces = List.copyOf(namespaces);
        runs = List.copyOf(runs);
        events = List.copyOf(events);
    }
}
