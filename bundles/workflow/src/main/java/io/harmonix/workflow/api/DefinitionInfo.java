package io.harmonix.workflow.api;

import java.time.Instant;
import java.util.List;

/**
 * A deployed definition.
 *
 * @param name its name
 * @param version its version (text: "1.0" stays "1.0")
 * @param description its description, or ""
 * @param tasks its task ids, in the order written
 * @param source where it was deployed from
 * @param deployedAt when
 * @param text the definition as deployed
 */
public record DefinitionInfo(String name, String version, String description, List<String> tasks, String source,
        Instant deployedAt, String text) {
    public DefinitionInfo {
        tasks = List.copyOf(tasks);
    }
}
