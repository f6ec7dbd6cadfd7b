package io.harmonix.agent.architecture.internal;

import io.harmonix.agent.architecture.internal.analysis.ArchitectureAnalysis;
import io.harmonix.agent.architecture.internal.analysis.Settings;
import io.harmonix.enhance.api.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Times one analysis of a target (default: Harmonix's bundles/), cold (the first in this JVM: class loading, JIT)
 * and warm (the median of the next ones). Prints, asserts nothing: a measurement for docs/performance.md.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.harmonix.agent.architecture.internal.AnalysisTiming ../.. bundles 5
 * </pre>
 */
public final class AnalysisTiming {
    private AnalysisTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "../..").toAbsolutePath().normalize();
        List<String> components = Arrays.asList((args.length > 1 ? args[1] : "bundles").split(","));
        int warmRuns = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Target target = Target.open(root, ".", components);
        long[] times = new long[warmRuns + 1];
        ArchitectureAnalysis last = null;
        for (int i = 0; i <= warmRuns; i++) {
            long start = System.nanoTime();
            last = ArchitectureAnalysis.run(target, Settings.defaults(), null, () -> false, (d, t) -> {
            });
            times[i] = System.nanoTime() - start;
        }
        long[] warm = Arrays.copyOfRange(times, 1, times.length);
        Arrays.sort(warm);
        System.out.printf("target %s %s: %d units (%s), %d packages, %d modules, %d references, %d findings%n",
                root, components, last.build().total(), last.build().modes().values().stream().distinct().sorted()
                        .toList(), last.packageMetrics().size(), last.moduleMetrics().size(),
                last.build().graph().references().size(), last.findings().size());
        System.out.printf("cold %d ms, warm median %d ms (min %d, max %d, %d runs)%n", times[0] / 1_000_000,
                warm[warm.length / 2] / 1_000_000, warm[0] / 1_000_000, warm[warm.length - 1] / 1_000_000,
                warm.length);
    }
}
