package io.harmonix.autonomy.internal.change;

import io.harmonix.fleet.api.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit list of checks that must be green before a repository's change ships, and the command of each.
 *
 * <p>They are this bundle's configuration ({@code requiredChecks}, {@code checkCommands}) rather than a field of the
 * fleet manifest: the fleet's {@link Repository} is an exported record, and a new component would change its
 * constructor (a major version of {@code io.harmonix.fleet.api} for every bundle using it); and which checks gate an
 * automatic merge is the controller's policy, not a fact about the repository that discovery finds.
 *
 * @param lists per repository name ({@code *}: every other one) its required check names, in order
 * @param commands per {@code repo:check} (repo may be {@code *}) the command; {@code build} and {@code test} default
 *     to the repository's own build and test commands
 */
record RequiredChecks(Map<String, List<String>> lists, Map<String, String> commands) {
    static final List<String> DEFAULT = List.of("build", "test");

    RequiredChecks {
        lists = Map.copyOf(lists);
        commands = Map.copyOf(commands);
    }

    /**
     * Reads the configuration.
     *
     * @param required entries {@code REPO=CHECK,CHECK} ({@code *=build,test} for every repository not named)
     * @param commands entries {@code REPO:CHECK=COMMAND}
     * @throws IllegalArgumentException naming the key, the entry and what was expected
     */
    static RequiredChecks parse(String[] required, String[] commands) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (String entry : required == null ? new String[0] : required) {
            int eq = entry.indexOf('=');
            String repo = eq < 0 ? "" : entry.substring(0, eq).strip();
            List<String> names = new ArrayList<>();
            for (String n : eq < 0 ? new String[0] : entry.substring(eq + 1).split(",")) {
                if (!n.isBlank()) {
                    names.add(checkName("requiredChecks", entry, n.strip()));
                }
            }
            if (repo.isEmpty() || names.isEmpty()) {
                throw new IllegalArgumentException("requiredChecks: expected REPO=CHECK[,CHECK...] (REPO may be *), "
                        + "got '" + entry + "'");
            }
            lists.put(repo, List.copyOf(names));
        }
        Map<String, String> cmds = new LinkedHashMap<>();
        for (String entry : commands == null ? new String[0] : commands) {
            int eq = entry.indexOf('=');
            int colon = eq < 0 ? -1 : entry.lastIndexOf(':', eq);
            if (colon <= 0 || entry.substring(eq + 1).isBlank()) {
                throw new IllegalArgumentException("checkCommands: expected REPO:CHECK=COMMAND (REPO may be *), got '"
                        + entry + "'");
            }
            String check = checkName("checkCommands", entry, entry.substring(colon + 1, eq).strip());
            cmds.put(entry.substring(0, colon).strip() + ":" + check, entry.substring(eq + 1).strip());
        }
        return new RequiredChecks(lists, cmds);
    }

    private static String checkName(String key, String entry, String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException(key + ": a check's name is letters, digits, '.', '_' and '-', got '"
                    + name + "' in '" + entry + "'");
        }
        return name;
    }

    /** @return the checks the repository's changes need, in order: its own list, else {@code *}'s, else build, test */
    List<String> of(String repo) {
        return lists.getOrDefault(repo, lists.getOrDefault("*", DEFAULT));
    }

    /** @return the command of that check in that repository, or null when it has none (the check is then missing) */
    String command(Repository repository, String check) {
        String own = commands.getOrDefault(repository.name() + ":" + check, commands.get("*:" + check));
        if (own != null) {
            return own;
        }
        return switch (check) {
            case "build" -> blankToNull(repository.buildCommand());
            case "test" -> blankToNull(repository.testCommand());
            default -> null;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
