package io.harmonix.autonomy.internal.change;

import io.harmonix.autonomy.api.ChangeRequest;
import io.harmonix.autonomy.api.ChangeRequests;
import io.harmonix.autonomy.api.ChangeState;
import io.harmonix.autonomy.api.DecisionLog;
import io.harmonix.autonomy.api.PlannedChange;
import io.harmonix.autonomy.api.ShipOutcome;
import io.harmonix.autonomy.api.Toggles;
import io.harmonix.config.api.Durations;
import io.harmonix.cycle.api.SecretMasker;
import io.harmonix.fleet.api.CheckHistory;
import io.harmonix.fleet.api.FleetCatalogue;
import io.harmonix.fleet.api.SandboxExecutor;
import io.harmonix.proposals.api.EnhancementLedger;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The change requests as a service: its tables migrated at activation, the fleet's catalogue and sandbox, the
 * proposals ledger (optional) and the decision log, every registered SecretMasker applied to what it writes.
 */
@Component(service = {ChangeRequests.class, ChangeDetails.class}, configurationPid = ChangeRequestsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ChangeRequestsComponent.Config.class)
public class ChangeRequestsComponent implements ChangeDetails {
    static final String PID = "io.harmonix.autonomy.changes";

    @ObjectClassDefinition(name = "Harmonix change requests")
    @interface Config {
        @AttributeDefinition(description = "The checks that must be green on a change's exact SHA before it ships, "
                + "per repository: REPO=CHECK,CHECK; * for every repository not named.")
        String[] requiredChecks() default {"*=build,test"};

        @AttributeDefinition(description = "The command of a check: REPO:CHECK=COMMAND (REPO may be *). build and "
                + "test default to the repository's own build and test commands; a required check with no "
                + "command is missing, hence red.")
        String[] checkCommands() default {};

        @AttributeDefinition(description = "Time limit of each check; a check past it is killed and counts red.")
        String checkTimeout() default "30m";
    }

    private final Changes changes;
    private final List<SecretMasker> maskers = new CopyOnWriteArrayList<>();
    private volatile Parts.Settings settings;
    // optional and dynamic, as fields: SCR sets each to the service bound and back to null when it goes (an unbind
    // of a service already replaced leaves the new one)
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SandboxExecutor executor;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CheckHistory history;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EnhancementLedger enhancements;

    @Activate
    public ChangeRequestsComponent(Config config,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "catalogue") FleetCatalogue catalogue,
            @Reference(name = "decisions") DecisionLog decisions,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        configure(config);
        migrator.migrate(ChangeStore.COMPONENT, ChangeStore.MIGRATIONS);
        changes = new Changes(new Parts(new ChangeStore(dataSource), catalogue::repository, () -> executor,
                () -> history, () -> enhancements, () -> decisions, masker(), () -> settings, log::info));
    }

    @Modified
    void configure(Config config) {
        settings = new Parts.Settings(RequiredChecks.parse(config.requiredChecks(), config.checkCommands()),
                Durations.parse(config.checkTimeout()));
    }

    /** Every masker in turn; one that fails withholds the text (it might hold a secret). */
    private UnaryOperator<String> masker() {
        return text -> {
            String out = text;
            for (SecretMasker m : maskers) {
                try {
                    out = m.mask(out);
                } catch (RuntimeException e) {
                    return "[withheld: secret masker " + m.getClass().getName() + " failed]";
                }
            }
            return out;
        };
    }

    @Reference(name = "maskers", service = SecretMasker.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMasker")
    void addMasker(SecretMasker m) {
        maskers.add(m);
    }

    void removeMasker(SecretMasker m) {
        maskers.remove(m);
    }




    @Override
    public List<ChangeRequest> changes(ChangeState state, String repo) {
        return changes.changes(state, repo);
    }

    @Override
    public List<ChangeRequest> changes(ChangeState state, String repo, int offset, int limit) {
        return changes.changes(state, repo, offset, limit);
    }

    @Override
    public Optional<ChangeRequest> change(long id) {
        return changes.change(id);
    }

    @Override
    public String diff(long id) {
        return changes.diff(id);
    }

    @Override
    public List<ChangeRequest> open(List<PlannedChange> planned, boolean draft, String runId) {
        return changes.open(planned, draft, runId);
    }

    @Override
    public ChangeRequest verify(long id, String runId) {
        return changes.verify(id, runId);
    }

    @Override
    public ShipOutcome ship(long id, Toggles toggles, String runId) {
        return changes.ship(id, toggles, runId);
    }

    @Override
    public ChangeRequest approve(long id, String who, String why) {
        return changes.approve(id, who, why);
    }

    @Override
    public int shippedOn(LocalDate day, ZoneId zone) {
        return changes.shippedOn(day, zone);
    }

    @Override
    public List<CheckLine> checks(long id) {
        return changes.checks(id);
    }

    @Override
    public String note(long id) {
        return changes.note(id);
    }
}
