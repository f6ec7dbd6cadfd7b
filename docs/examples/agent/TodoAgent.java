package com.example.todo;

import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.enhance.api.Analysis;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.Finding;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Location;
import io.harmonix.enhance.api.Risk;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.Severity;
import io.harmonix.enhance.api.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** An enhancement agent of type "todo": one finding per TODO comment in the Java files of its target. */
@Component(configurationPid = "com.example.agent.todo", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=todo")
@Designate(ocd = TodoAgent.Config.class, factory = true)
public class TodoAgent implements EnhancementAgent {
    static final Rule TODO = new Rule("todo", "TODO comment", "A TODO comment: work left undone.",
            "Do the work, or file it as an issue and remove the comment.", Severity.INFO);

    @ObjectClassDefinition(name = "TODO agent")
    public @interface Config {
        String target() default "";

        String components() default "";
    }

    private volatile Config config;

    @Activate
    public TodoAgent(Config config) {
        this.config = config;
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        // the run's target input, else the configured one; none: an idle cycle
        Optional<Target> named = Target.of(context.inputs(), Path.of("."), config.target(),
                Arrays.asList(config.components().split(",")));
        return FindingCycle.run(context, "todo", named, target -> {
            List<Finding> findings = new ArrayList<>();
            List<String> files = target.files().stream().filter(f -> f.endsWith(".java")).toList();
            int analysed = 0;
            BooleanSupplier timeToStop = FindingCycle.timeToStop(context); // before the deadline, to answer in time
            for (String file : files) {
                if (timeToStop.getAsBoolean()) {
                    break; // what is found so far is returned, marked partial
                }
                List<String> lines = Files.readAllLines(target.root().resolve(file));
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("TODO")) {
                        findings.add(Finding.of("todo", TODO.id(), TODO.severity(), Risk.LOW,
                                target.componentOf(file), Location.lines(file, i + 1, i + 1), "TODO comment",
                                lines.get(i).strip(), lines.get(i)));
                    }
                }
                analysed++;
            }
            return new Analysis(findings, List.of(), analysed, files.size(), analysed < files.size(), Map.of());
        });
    }

    @Override
    public List<Rule> rules() {
        return List.of(TODO);
    }
}
