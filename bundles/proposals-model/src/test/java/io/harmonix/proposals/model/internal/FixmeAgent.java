package io.harmonix.proposals.model.internal;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real quality agent with no mechanical fix: every line holding {@code FIXME} is a finding of rule {@code fixme},
 * and it proposes nothing: the kind of finding the model is asked about. Validation runs it again on the patched
 * worktree to confirm the model's fix.
 */
final class FixmeAgent implements Agent {
    private final Path target;

    FixmeAgent(Path target) {
        this.target = target;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        return FindingCycle.run(context, "quality",
                Target.of(context.inputs(), Path.of("/"), target.toString(), List.of()), FixmeAgent::analyse);
    }

    static Analysis analyse(Target t) throws Exception {
        List<Finding> found = new ArrayList<>();
        List<String> files = t.files();
        for (String file : files) {
            List<String> lines = Files.readAllLines(t.root().resolve(file));
            for (int n = 1; n <= lines.size(); n++) {
                String text = lines.get(n - 1);
                if (text.contains("FIXME")) {
                    found.add(Finding.of("quality", "fixme", Severity.MEDIUM, Risk.LOW, "",
                            Location.lines(file, n, n), "a FIXME is left in the code", text.strip(), text));
                }
            }
        }
        return new Analysis(found, List.of(), files.size(), files.size(), false, Map.of());
    }
}
