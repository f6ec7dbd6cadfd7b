package io.harmonix.itests.bench;

import io.harmonix.itests.PackagedRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Cold start of the packaged runtime: from launching {@code bin/harmonix exec 'agent:list'} to its first line of
 * output (the framework, every core bundle and the sample agent up, the command answered), and to the process's
 * exit; beside the time a bare JVM takes to start and print its version on the same machine.
 *
 * <p>Run: {@code mvn -B -q -Pbench verify -DskipTests} (figures in docs/performance.md).
 */
public final class ColdStartBenchmark {
    private static final int ROUNDS = 10;

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("harmonix-coldstart");
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        long[] firstAnswer = new long[ROUNDS];
        long[] exit = new long[ROUNDS];
        long[] bareJvm = new long[ROUNDS];
        for (int i = -2; i < ROUNDS; i++) { // two warm-up rounds fill the OS file cache
            long t0 = System.nanoTime();
            Process p = runtime.start(dir, "exec", "agent:list");
            long answered = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (answered == 0 && line.startsWith("AGENT")) {
                        answered = System.nanoTime() - t0;
                    }
                }
            }
            if (p.waitFor() != 0 || answered == 0) {
                throw new IllegalStateException("exec failed: " + new String(p.getErrorStream().readAllBytes()));
            }
            long ended = System.nanoTime() - t0;
            long j0 = System.nanoTime();
            Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-version").redirectErrorStream(true).start();
            jvm.getInputStream().readAllBytes();
            jvm.waitFor();
            if (i >= 0) {
                firstAnswer[i] = answered;
                exit[i] = ended;
                bareJvm[i] = System.nanoTime() - j0;
            }
        }
        System.out.printf(Locale.ROOT, "cold start, %d rounds, %d cores, Java %s%n", ROUNDS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double answer = median(firstAnswer);
        double jvm = median(bareJvm);
        System.out.printf(Locale.ROOT, "launch to first answered command: median %.0f ms (min %.0f, max %.0f)%n",
                answer, min(firstAnswer), max(firstAnswer));
        System.out.printf(Locale.ROOT, "launch to exit (framework stopped): median %.0f ms%n", median(exit));
        System.out.printf(Locale.ROOT, "bare JVM start (java -version): median %.0f ms; first answer = %.1fx a bare "
                + "JVM start%n", jvm, answer / jvm);
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static double min(long[] nanos) {
        return Arrays.stream(nanos).min().orElse(0) / 1e6;
    }

    private static double max(long[] nanos) {
        return Arrays.stream(nanos).max().orElse(0) / 1e6;
    }
}
