package io.harmonix.agent.security.internal.deps;

import io.harmonix.enhance.api.Severity;
import java.util.List;

/**
 * An advisory in OSV format (https://ossf.github.io/osv-schema/), the parts the agent uses.
 *
 * @param id its id ({@code GHSA-jfh8-c2jp-5v3q})
 * @param aliases other ids of the same vulnerability ({@code CVE-2021-44228})
 * @param summary one line
 * @param severity {@code database_specific.severity}, or derived from a CVSS score; {@link Severity#HIGH} when
 *     the advisory gives none that can be read
 * @param affected the packages and versions it affects
 * @param json the advisory as it was imported, kept whole
 * @param withdrawn true when the advisory says it was withdrawn ({@code "withdrawn": date}): importing it removes
 *     the stored one of its id, and nothing matches it
 */
public record Advisory(String id, List<String> aliases, String summary, Severity severity, List<Affected> affected,
        String json, boolean withdrawn) {
    public Advisory {
        aliases = List.copyOf(aliases);
        affected = List.copyOf(affected);
    }

    /**
     * One affected package.
     *
     * @param ecosystem {@code Maven} or {@code npm} (others are kept, never matched)
     * @param name {@code group:artifact} for Maven, the package name for npm
     * @param ranges version ranges
     * @param versions versions listed one by one
     */
    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions) {
        public Affected {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }
    }

    /**
     * A range: events in order, each {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}.
     *
     * @param type {@code ECOSYSTEM}, {@code SEMVER} or {@code GIT} (not matched: commits are not versions)
     */
    public record Range(String type, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    /** One event of a range. */
    public record Event(String kind, String version) {
    }
}
