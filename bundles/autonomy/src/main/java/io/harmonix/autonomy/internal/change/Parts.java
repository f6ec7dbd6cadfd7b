package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.Policy;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.Repository;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.EnhancementLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What open, verify and ship work with: the store, the services as they are now (suppliers, since DS may replace or
 * withdraw the optional ones), the settings in force, the secret masking (P-001) and the log.
 *
 * @param repositories the fleet catalogue's lookup by name
 * @param enhancements the proposals ledger, or a supplier of null when it is absent
 * @param masker every registered SecretMasker in turn: applied to every text before it reaches a commit message, a
 *     decision or the log
 */
record Parts(ChangeStore store, Function<String, Optional<Repository>> repositories,
        Supplier<SandboxExecutor> executor, Supplier<CheckHistory> history,
        Supplier<EnhancementLedger> enhancements, Supplier<DecisionLog> decisions, UnaryOperator<String> masker,
        Supplier<Settings> settings, Consumer<String> log) {

    /** The policy that names the bot's identity. */
    static final String ATTRIBUTION = "P-003";
    static final Commits.Identity BOT = new Commits.Identity("Harmonix Bot", "bot@harmonix.local");

    /**
     * @param checks the required checks per repository and their commands
     * @param checkTimeout the time limit of each check (a check past it is killed and red)
     */
    record Settings(RequiredChecks checks, Duration checkTimeout) {
    }

    Repository repository(String name) {
        Repository r = repositories.apply(name).orElseThrow(() -> new NoSuchElementException(
                "no repository '" + name + "' in the fleet catalogue"));
        if (!r.healthy()) {
            throw new IllegalStateException("repository '" + name + "' has a problem: " + r.problem());
        }
        return r;
    }

    Git git(String repo) {
        return new Git(Path.of(repository(repo).path()));
    }

    /** @return the bot's identity: policy P-003's {@code name} and {@code email} parameters, else the default */
    Commits.Identity bot() {
        DecisionLog log = decisions.get();
        Map<String, Object> p = log == null ? Map.of()
                : log.policy(ATTRIBUTION).map(Policy::parameters).orElse(Map.of());
        Object name = p.get("name");
        Object email = p.get("email");
        return new Commits.Identity(name instanceof String n && !n.isBlank() ? n : BOT.name(),
                email instanceof String e && !e.isBlank() ? e : BOT.email());
    }

    DecisionLog decisionLog() {
        DecisionLog log = decisions.get();
        if (log == null) {
            throw new IllegalStateException("the decision log is not available: nothing is decided without it");
        }
        return log;
    }

    String mask(String text) {
        return text == null ? null : masker.apply(text);
    }
}
