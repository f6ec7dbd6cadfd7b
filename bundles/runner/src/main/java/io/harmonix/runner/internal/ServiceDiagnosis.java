package io.harmonix.runner.internal;

/**
 * Why a service the runner needs (the run journal, a cycle recorder) is absent, as far as the framework can tell.
 * The runner waits for such a service while it may yet come (its bundle being stopped, updated or started); it
 * stops waiting, and says why, when it will not come without someone's help: its component failed to start (a
 * refused configuration, an unusable folder), or waits for something that failed.
 */
@FunctionalInterface
public interface ServiceDiagnosis {
    /** Knows nothing: the runner waits (unit tests, benchmarks). */
    ServiceDiagnosis NONE = service -> null;

    /**
     * @param service the service's interface name
     * @return why no such service is present and none will come on its own (naming the component, its bundle and
     *     the cause), or null when one may yet come
     */
    String whyAbsent(String service);
}
