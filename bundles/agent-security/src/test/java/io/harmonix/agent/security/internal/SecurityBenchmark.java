package io.harmonix.agent.security.internal;

import io.harmonix.agent.security.internal.deps.AdvisoryImport;
import io.harmonix.agent.security.internal.deps.DerbyAdvisories;
import io.harmonix.agent.security.internal.secrets.GitleaksRules;
import io.harmonix.agent.security.internal.secrets.HistoryScanner;
import io.harmonix.agent.security.internal.secrets.SecretScanner;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Target;
import io.harmonix.store.testing.DerbyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Files per second of the security agent's scan, cold (the first scan in a fresh JVM: class loading, the gitleaks
 * rules compiled, JavaParser warmed up) and warm (the mean of the next scans), then the history walk on its own.
 * Not a test: run it by hand (docs/security-agent.md gives the command).
 *
 * <pre>java -cp ... io.harmonix.agent.security.internal.SecurityBenchmark REPO [COMPONENT...]</pre>
 */
public final class SecurityBenchmark {
    private SecurityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        List<String> components = Arrays.asList(args).subList(1, args.length);
        Path tmp = Files.createTempDirectory("security-bench");
        long t0 = System.nanoTime();
        try (DerbyFixture derby = DerbyFixture.open(tmp)) {
            DerbyAdvisories store = new DerbyAdvisories(derby.dataSource(), derby.migrator());
            AdvisoryImport.run(store, SampleAdvisories.copyTo(tmp));
            Target target = Target.open(Path.of("."), repo.toString(), components);
            SecretScanner scanner = new SecretScanner(GitleaksRules.shipped(), Set.of());
            SecurityScan.Settings tree = new SecurityScan.Settings(true, false, true, true, Set.of(), scanner,
                    2_000_000);
            long setup = System.nanoTime() - t0;
            Analysis cold = null;
            double[] seconds = new double[6];
            for (int i = 0; i < seconds.length; i++) {
                long start = System.nanoTime();
                Analysis a = new SecurityScan(tree, store).run(target, () -> false, (d, t) -> { });
                seconds[i] = (System.nanoTime() - start) / 1e9;
                cold = cold == null ? a : cold;
            }
            double warm = Arrays.stream(seconds, 1, seconds.length).average().orElseThrow();
            int files = cold.filesTotal();
            long javaFiles = target.files().stream().filter(f -> f.endsWith(".java")).count();
            System.out.printf(Locale.ROOT, "target %s %s: %d files (%d .java), %d findings, not analysed %s%n",
                    repo, components, files, javaFiles, cold.findings().size(), cold.notAnalysed());
            if (Boolean.getBoolean("show")) {
                cold.findings().forEach(f -> System.out.println("  " + f.ruleId() + " " + f.location() + " "
                        + f.message() + " | " + f.evidence()));
            }
            System.out.printf(Locale.ROOT, "setup (Derby, sample advisories): %.2f s%n", setup / 1e9);
            System.out.printf(Locale.ROOT, "tree scan cold: %.2f s = %.0f files/s%n", seconds[0], files / seconds[0]);
            System.out.printf(Locale.ROOT, "tree scan warm: %.2f s = %.0f files/s (mean of %d)%n", warm,
                    files / warm, seconds.length - 1);
            // each part alone, warm: where the time goes
            for (String part : List.of("secrets", "dependencies", "insecureApi")) {
                SecurityScan.Settings only = new SecurityScan.Settings(part.equals("secrets"), false,
                        part.equals("dependencies"), part.equals("insecureApi"), Set.of(), scanner, 2_000_000);
                double best = Double.MAX_VALUE;
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    new SecurityScan(only, store).run(target, () -> false, (d, t) -> { });
                    best = Math.min(best, (System.nanoTime() - start) / 1e9);
                }
                System.out.printf(Locale.ROOT, "  %s alone, warm (best of 3): %.2f s = %.0f files/s%n", part, best,
                        files / best);
            }
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                HistoryScanner.Result h = new HistoryScanner(scanner).scan(target.root(), target.components(),
                        () -> false);
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "history %s: %d commits, %d secrets in added lines, %.2f s = %.0f "
                        + "commits/s%n", i == 0 ? "first" : "second", h.commits(), h.matches().size(), s,
                        h.commits() / s);
            }
        }
    }
}
