package io.harmonix.store.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.SchemaMigrator.AppliedMigration;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.internal.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code store:} commands: which store the runtime uses (the one {@code etc/io.harmonix.store.cfg} chose,
 * whichever bundle provides it), its version and the migration level of each schema. What they show comes from the
 * database's own description of the connection (JDBC metadata: product, version, URL, user), never from the
 * configuration, so no password can be in it.
 */
@Component
@CommandScope("store")
public final class StoreCommands implements ShellCommands {
    @Reference(target = StoreProperties.SELECTED_TARGET)
    private DataSource dataSource;
    @Reference(target = StoreProperties.SELECTED_TARGET)
    private SchemaMigrator migrator;

    /** A schema's level: its last applied version, and when that was applied. */
    public record Level(String component, int version, int steps, String appliedAt) {
    }

    @Command(name = "info", header = "show the store in use, its version and each schema's migration level",
            description = "Shows which store the runtime uses (derby or postgresql, as etc/io.harmonix.store.cfg "
                    + "chose), the database's product and version, where it is (Derby's folder, or PostgreSQL's URL "
                    + "and user; never a password), and the migration level of each component's schema.")
    public CommandResult info() throws Exception {
        String product;
        String version;
        String url;
        String user;
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData m = c.getMetaData();
            product = m.getDatabaseProductName();
            version = m.getDatabaseProductVersion();
            url = m.getURL();
            user = m.getUserName();
        }
        String store = product.toLowerCase(java.util.Locale.ROOT).contains("derby") ? StoreProperties.DERBY
                : product.toLowerCase(java.util.Locale.ROOT).contains("postgres") ? StoreProperties.POSTGRESQL
                : product;
        String where = StoreProperties.DERBY.equals(store) ? url.replaceFirst("^jdbc:derby:", "")
                : url + " as " + user;
        Map<String, Level> levels = new LinkedHashMap<>();
        for (AppliedMigration a : migrator.history()) {
            Level before = levels.get(a.component());
            int steps = before == null ? 1 : before.steps() + 1;
            if (before == null || a.version() > before.version()) {
                levels.put(a.component(), new Level(a.component(), a.version(), steps, a.appliedAt()));
            } else {
                levels.put(a.component(), new Level(a.component(), before.version(), steps, before.appliedAt()));
            }
        }
        List<Level> sorted = levels.values().stream().sorted(java.util.Comparator.comparing(Level::component)).toList();
        Table t = new Table("SCHEMA", "LEVEL", "STEPS", "APPLIED").ifEmpty("no schema migrated yet");
        sorted.forEach(l -> t.row(l.component(), l.version(), l.steps(), l.appliedAt()));
        ObjectNode json = Json.object().put("store", store).put("product", product).put("version", version)
                .put("where", where);
        ArrayNode schemas = json.putArray("schemas");
        sorted.forEach(l -> schemas.add(Json.fields(l, "component", "version", "steps", "appliedAt")));
        // a component's migration deferred to the database's boot that failed there: its schema lacks the level
        List<String> failures = dataSource.isWrapperFor(io.harmonix.store.provider.ConnectionPool.class)
                ? dataSource.unwrap(io.harmonix.store.provider.ConnectionPool.class).bootFailures() : List.of();
        ArrayNode failed = json.putArray("bootFailures");
        failures.forEach(failed::add);
        return CommandResult.of("store " + store + ": " + product + " " + version + "\nat " + where + "\n" + t
                + (failures.isEmpty() ? "" : "\nfailed at the database's boot:\n  " + String.join("\n  ", failures)),
                json);
    }

    @Command(name = "template", header = "write the template of a fresh data folder's Derby database",
            description = "Writes into FOLDER (which must not exist) a new Derby database with every schema migration "
                    + "the components of this runtime have asked for, shut down, and the list of the bundles "
                    + "installed. The distribution build makes lib/store-template with it: a fresh data folder then "
                    + "gets its database as a copy of it, as long as the same bundles are installed.")
    public CommandResult template(@Parameters(paramLabel = "FOLDER", description = "where the template goes; "
            + "relative paths are taken from the working directory") String folder) throws Exception {
        if (!(migrator instanceof Migrations derby)) {
            throw new IllegalArgumentException("store:template makes a template of the embedded Derby store; this "
                    + "runtime's store is not Derby (etc/io.harmonix.store.cfg)");
        }
        Set<String> bundles = new TreeSet<>();
        for (Bundle b : FrameworkUtil.getBundle(StoreCommands.class).getBundleContext().getBundles()) {
            if (b.getState() != Bundle.UNINSTALLED && b.getSymbolicName() != null) {
                bundles.add(b.getSymbolicName() + " " + b.getVersion());
            }
        }
        Path target = Path.of(folder).toAbsolutePath().normalize();
        List<String> components = derby.writeTemplate(target, bundles);
        ObjectNode json = Json.object().put("folder", target.toString());
        ArrayNode schemas = json.putArray("schemas");
        components.forEach(schemas::add);
        return CommandResult.of("template " + target + ": the schemas of " + String.join(", ", components) + " ("
                + bundles.size() + " bundles)", json);
    }
}
