package io.harmonix.fleet.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The check records the {@link SandboxExecutor} stored (in Derby), for commands, health and the controller. */
@ProviderType
public interface CheckHistory {
    Optional<CheckRecord> check(long id);

    /** @return the repository's newest records first, at most {@code limit}; every repository for a null name */
    List<CheckRecord> checks(String repository, int limit);

    /** @return the records of one commit of a repository (its full SHA), oldest first */
    List<CheckRecord> checksOf(String repository, String commit);
}
