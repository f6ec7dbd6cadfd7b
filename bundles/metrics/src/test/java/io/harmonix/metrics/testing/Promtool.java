package io.harmonix.metrics.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Prometheus' own linter of the text format, {@code promtool check metrics} (Debian package prometheus). */
public final class Promtool {
    private Promtool() {
    }

    /** @throws IllegalArgumentException with promtool's words when it finds a problem */
    public static void check(String text) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("promtool not found: install the Debian package prometheus (.ci/run does)", e);
        }
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("promtool did not answer within 60 s");
        }
        if (p.exitValue() != 0 || !out.isBlank()) {
            throw new IllegalArgumentException("promtool check metrics: exit " + p.exitValue() + ": " + out.strip());
        }
    }
}
