package io.harmonix.runner.internal;

/** Where the runner logs: the OSGi log service in the framework, the console in unit tests and benchmarks. */
public interface RunnerLog {
    void info(String message);

    void warn(String message, Throwable cause);

    void error(String message, Throwable cause);

    /** @return a log printing to standard error */
    static RunnerLog console() {
        return new RunnerLog() {
            @Override
            public void info(String message) {
                System.err.println("INFO  " + message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                System.err.println("WARN  " + message + (cause == null ? "" : ": " + cause));
            }

            @Override
            public void error(String message, Throwable cause) {
                System.err.println("ERROR " + message + (cause == null ? "" : ": " + cause));
            }
        };
    }
}
