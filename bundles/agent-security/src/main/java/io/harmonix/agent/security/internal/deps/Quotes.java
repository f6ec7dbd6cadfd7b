package io.harmonix.agent.security.internal.deps;

import java.util.regex.Pattern;

/**
 * Parser messages quote the text they stopped at ({@code Unrecognized token 'ghp_...'}); in a scanned file that
 * text may be a secret, and such messages become findings. This keeps the message and drops what is quoted.
 */
final class Quotes {
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    private Quotes() {
    }

    /** @return {@code message} with every quoted part replaced by {@code '…'} */
    static String without(String message) {
        return message == null ? "" : QUOTED.matcher(message).replaceAll("'…'");
    }
}
