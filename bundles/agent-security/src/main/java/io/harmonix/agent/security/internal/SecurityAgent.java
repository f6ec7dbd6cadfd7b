package io.harmonix.agent.security.internal;

import io.harmonix.agent.security.internal.deps.AdvisoryStore;
import io.harmonix.agent.security.internal.secrets.GitleaksRules;
import io.harmonix.agent.security.internal.secrets.SecretScanner;
import io.harmonix.cycle.api.Agent;
import io.harmonix.cycle.api.AgentContext;
import io.harmonix.cycle.api.AgentResult;
import io.harmonix.cycle.api.AgentsById;
import io.harmonix.enhance.api.EnhancementAgent;
import io.harmonix.enhance.api.FindingCycle;
import io.harmonix.enhance.api.Rule;
import io.harmonix.enhance.api.ScanProgress;
import io.harmonix.enhance.api.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The security agent: each cycle, secrets in the target's working tree and history (the gitleaks rule set),
 * dependencies of its pom.xml, package.json and package-lock.json files against the imported OSV advisories, and
 * insecure API use in its Java sources. One instance per factory configuration
 * ({@code etc/io.harmonix.agent.security-NAME.cfg}, agent id {@code security.NAME}); the unconfigured instance is
 * agent {@code security}, for runs that pass {@code --input target=PATH}.
 *
 * <p>Without the advisory store (the store bundle not running) dependencies are reported as not analysed; the rest
 * of the scan goes on.
 */
@Component(configurationPid = SecurityAgent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Agent.class, EnhancementAgent.class}, property = Agent.TYPE + "=" + SecurityFindings.TYPE)
@Designate(ocd = SecurityConfig.class, factory = true)
public class SecurityAgent implements EnhancementAgent {
    static final String PID = "io.harmonix.agent.security";

    /** A configuration, read whole: a cycle never runs with half of an updated one. */
    record Setup(Path home, String target, List<String> components, SecurityScan.Settings settings,
            String agentId) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ScanProgress progress;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AdvisoryStore advisories;

    /** The configuration as given, until its first use reads the rules it names. */
    private record Pending(SecurityConfig config, Path base, String agentId) {
    }

    private Pending pending;
    private volatile Setup setup;

    public SecurityAgent() {
    }

    /** For tests and for use outside OSGi. */
    SecurityAgent(Setup setup, AdvisoryStore advisories) {
        this.setup = setup;
        this.advisories = advisories;
    }

    /**
     * Takes the configuration; its rule set (the shipped gitleaks file, or the one {@code gitleaksConfig} names) is
     * read at the agent's first use, a cycle or its rules listed: read here, it was a cost of every start, for an
     * agent most starts never call. A file that cannot be read or is not a gitleaks configuration fails that use,
     * naming the field and the file, as long as the configuration stays as it is.
     */
    @Activate
    @Modified
    void configure(SecurityConfig config, BundleContext context, Map<String, Object> properties) {
        configure(config, Target.home(context::getProperty), AgentsById.idOf(properties::get));
    }

    /** @param base the folder relative paths are taken from (harmonix.home) */
    synchronized void configure(SecurityConfig config, Path base, String agentId) {
        pending = new Pending(config, base, agentId);
        setup = null;
    }

    /** @return the configuration with its rules read (at the first call after each configuration) */
    Setup setup() {
        Setup s = setup;
        if (s == null) {
            synchronized (this) {
                s = setup;
                if (s == null) {
                    Pending p = pending;
                    s = new Setup(p.base(), p.config().target(), list(p.config().components()),
                            settings(p.config(), p.base()), p.agentId());
                    setup = s;
                }
            }
        }
        return s;
    }

    /** A .cfg file gives a list as one comma-separated string: both forms are read. */
    static List<String> list(String[] values) {
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /**
     * @throws IllegalArgumentException naming the field {@code gitleaksConfig}, the file and what is wrong with it,
     *     when the file it names cannot be read or is not a gitleaks configuration
     */
    static SecurityScan.Settings settings(SecurityConfig config, Path base) {
        Set<String> disabled = Set.copyOf(list(config.disabledRules()));
        GitleaksRules rules;
        if (config.gitleaksConfig().isBlank()) {
            rules = GitleaksRules.shipped();
        } else {
            Path file = base.resolve(config.gitleaksConfig().trim());
            String field = "gitleaksConfig = '" + config.gitleaksConfig().trim() + "' (" + file + "): ";
            try (InputStream in = Files.newInputStream(file)) {
                rules = GitleaksRules.read(in, file.toString());
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(field + "no such file; expected a gitleaks TOML file", e);
            } catch (IOException e) {
                throw new IllegalArgumentException(field + "expected a readable gitleaks TOML file: " + e, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + e.getMessage(), e);
            }
        }
        Set<String> gitleaksDisabled = disabled.stream().filter(d -> d.startsWith(SecurityFindings.SECRETS))
                .map(d -> d.substring(SecurityFindings.SECRETS.length())).collect(Collectors.toSet());
        return new SecurityScan.Settings(config.secrets(), config.history(), config.dependencies(),
                config.insecureApi(), disabled, new SecretScanner(rules, gitleaksDisabled), config.maxFileBytes());
    }

    @Override
    public AgentResult step(AgentContext context) throws Exception {
        Setup in = setup();
        // no target configured nor given: an idle cycle; a bad one: the TargetException fails the entry
        return FindingCycle.run(context, SecurityFindings.TYPE,
                Target.of(context.inputs(), in.home(), in.target(), in.components()),
                target -> new SecurityScan(in.settings(), advisories).run(target, FindingCycle.timeToStop(context),
                        (done, total) -> {
                            ScanProgress sink = progress;
                            if (sink != null) {
                                sink.update(context.runId(), in.agentId(), done, total);
                            }
                        }));
    }

    @Override
    public List<Rule> rules() {
        SecurityScan.Settings s = setup().settings();
        return SecurityFindings.rules(s.scanner().rules(), s.disabled());
    }
}
