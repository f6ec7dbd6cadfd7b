package io.harmonix.agent.security.internal.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.agent.security.internal.deps.Advisory;
import io.harmonix.agent.security.internal.deps.AdvisoryImport;
import io.harmonix.agent.security.internal.deps.AdvisoryStore;
import io.harmonix.shell.api.CommandResult;
import io.harmonix.shell.api.CommandScope;
import io.harmonix.shell.api.Json;
import io.harmonix.shell.api.ShellCommands;
import io.harmonix.shell.api.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code enhance:advisories import FILE|DIR} and {@code enhance:advisories list}: the OSV advisories the security
 * agent checks dependencies against, kept in the runtime's database. The full dumps are at
 * https://osv-vulnerabilities.storage.googleapis.com/ECOSYSTEM/all.zip (Maven, npm): unzip one and import the
 * folder.
 */
@Component
@CommandScope("enhance")
public final class AdvisoryCommands implements ShellCommands {
    private static final int ERRORS_SHOWN = 20;

    @Reference
    private AdvisoryStore store;

    @Command(name = "advisories", header = "import or list the OSV advisories dependencies are checked against",
            description = "import FILE|DIR: loads OSV advisories (a JSON file with one advisory or an array, or a "
                    + "folder of them such as an unpacked https://osv-vulnerabilities.storage.googleapis.com/"
                    + "<ecosystem>/all.zip); an advisory with the id of a stored one replaces it. "
                    + "list: shows the stored advisories.")
    public CommandResult advisories(
            @Parameters(index = "0", paramLabel = "import|list", description = "What to do.") String action,
            @Parameters(index = "1", arity = "0..1", paramLabel = "FILE|DIR", description = "For import: the "
                    + "OSV file or folder.") String path,
            @Option(names = "--ecosystem", paramLabel = "E", description = "For list: only Maven or npm.")
            String ecosystem,
            @Option(names = "--package", paramLabel = "P", description = "For list: only advisories of this "
                    + "package (group:artifact for Maven).") String pkg) throws IOException, SQLException {
        switch (action) {
            case "import" -> {
                if (path == null) {
                    throw new IllegalArgumentException("enhance:advisories import: give the OSV JSON file or the "
                            + "folder of them to import");
                }
                if (ecosystem != null || pkg != null) {
                    throw new IllegalArgumentException("enhance:advisories import: --ecosystem and --package are "
                            + "options of list");
                }
                return importFrom(resolve(path));
            }
            case "list" -> {
                if (path != null) {
                    throw new IllegalArgumentException("enhance:advisories list takes no FILE; did you mean "
                            + "import " + path + "?");
                }
                return list(ecosystem, pkg);
            }
            default -> throw new IllegalArgumentException("enhance:advisories: unknown action '" + action
                    + "', expected import or list");
        }
    }

    /**
     * A relative path is taken from the working folder, else from the installation ({@code harmonix.home}), so that
     * {@code enhance:advisories import examples/advisories} works from anywhere.
     */
    static Path resolve(String path) {
        Path p = Path.of(path);
        String home = System.getProperty("harmonix.home");
        if (!p.isAbsolute() && !Files.exists(p) && home != null && Files.exists(Path.of(home).resolve(p))) {
            return Path.of(home).resolve(p);
        }
        return p;
    }

    private CommandResult importFrom(Path path) throws IOException, SQLException {
        AdvisoryImport.Report r = AdvisoryImport.run(store, path);
        ObjectNode json = Json.object().put("files", r.files()).put("advisories", r.advisories());
        ArrayNode errors = json.putArray("errors");
        r.errors().forEach(errors::add);
        StringBuilder text = new StringBuilder("imported " + r.advisories() + " advisories from " + r.files()
                + " file(s)");
        if (!r.errors().isEmpty()) {
            text.append("; ").append(r.errors().size()).append(" file(s) refused:");
            r.errors().stream().limit(ERRORS_SHOWN).forEach(e -> text.append("\n  ").append(e));
            if (r.errors().size() > ERRORS_SHOWN) {
                text.append("\n  ... and ").append(r.errors().size() - ERRORS_SHOWN).append(" more");
            }
            return CommandResult.of(text.toString(), json).failingWith(new IllegalStateException(
                    "enhance:advisories import: " + r.errors().size() + " file(s) refused, first: "
                            + r.errors().get(0)));
        }
        return CommandResult.of(text.toString(), json);
    }

    private CommandResult list(String ecosystem, String pkg) throws SQLException {
        List<Advisory> all = store.list(ecosystem, pkg);
        return CommandResult.listing(new Table("ID", "SEVERITY", "ALIASES", "PACKAGES", "SUMMARY")
                .ifEmpty("no advisories" + (ecosystem == null && pkg == null ? " (enhance:advisories import FILE|DIR "
                        + "loads them)" : " match")), all,
                (t, a) -> t.row(a.id(), a.severity().id(), String.join(",", a.aliases()), packages(a),
                        a.summary()),
                a -> {
                    ObjectNode n = Json.object().put("id", a.id()).put("severity", a.severity().id())
                            .put("summary", a.summary());
                    a.aliases().forEach(n.putArray("aliases")::add);
                    ArrayNode affected = n.putArray("packages");
                    a.affected().forEach(af -> affected.add(af.ecosystem() + ":" + af.name()));
                    return n;
                });
    }

    private static String packages(Advisory a) {
        return a.affected().stream().map(af -> af.ecosystem() + " " + af.name()).distinct()
                .collect(Collectors.joining(","));
    }
}
