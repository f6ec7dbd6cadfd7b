package io.harmonix.agent.quality.internal;

import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Files per second of the quality agent's analysis (PMD, copy-paste detector, fixes) on a real tree, cold (the
 * first analysis in this JVM) and warm (the second): prints the figures, asserts nothing (a timed assertion would
 * fail on a busy machine and prove nothing). Arguments: the git working tree, then its components.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) io.harmonix.agent.quality.internal.QualityBench
 *     /path/to/harmonix bundles</pre>
 */
public final class QualityBench {
    private QualityBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: QualityBench TARGET [COMPONENT...]");
            System.exit(2);
        }
        Target target = Target.open(Path.of("."), args[0], Arrays.asList(args).subList(1, args.length));
        for (String round : List.of("cold", "warm")) {
            long start = System.nanoTime();
            QualityScan scan = new QualityScan(QualityRules.load(null, QualityRules.Thresholds.RULESET), 100);
            Analysis analysis = scan.analyse(target, () -> false, (done, total) -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d Java files in %.1f s = %.1f files/s; %d findings, %d proposals, "
                    + "not analysed %s%n", round, analysis.filesAnalysed(), seconds,
                    analysis.filesAnalysed() / seconds, analysis.findings().size(), analysis.proposals().size(),
                    analysis.notAnalysed());
        }
    }
}
