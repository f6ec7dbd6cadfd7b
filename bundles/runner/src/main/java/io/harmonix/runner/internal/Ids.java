package io.harmonix.runner.internal;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The ids the runner accepts for runs and agents, and the ids it makes up for runs given none. */
final class Ids {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Ids() {
    }

    /** @return whether {@code id} is 1-64 letters, digits, '.', '-' or '_' (null is not) */
    static boolean valid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** @throws IllegalArgumentException when {@code runId} is not a valid id, saying what one is */
    static void checkRunId(String runId) {
        if (!valid(runId)) {
            throw new IllegalArgumentException("run id '" + runId + "' must be 1-64 letters, digits, '.', '-' or '_'");
        }
    }

    static String newRunId() {
        return "run-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
