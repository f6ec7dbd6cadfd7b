package io.harmonix.shell.api;

import java.util.Optional;

/**
 * Who the shell session running a command belongs to, for commands that record a person's decision. The shell sets
 * it around each command from its session's variable {@value #VARIABLE}: the interactive console puts there the
 * account whose terminal it runs on; exec mode has none (a script, not a person), so such commands there take the
 * person's name as an option ({@code --as NAME}) and refuse without one.
 */
public final class SessionUser {
    /** The Gogo session variable that names the session's user. */
    public static final String VARIABLE = ".harmonix.user";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private SessionUser() {
    }

    /** @return the user of the session whose command runs on this thread, if the session has one */
    public static Optional<String> current() {
        String u = CURRENT.get();
        return u == null || u.isBlank() ? Optional.empty() : Optional.of(u);
    }

    /** A body run with a session's user. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} as {@code user}'s (null: a session without one); what the shell does for each command. */
    public static void runAs(String user, Body body) throws Exception {
        String before = CURRENT.get();
        CURRENT.set(user);
        try {
            body.run();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /**
     * @param given the name a command was given ({@code --as}), or null
     * @return {@code given}, else the session's user
     * @throws BadArgumentException when neither is there, naming the option (the shell names the command)
     */
    public static String require(String given) {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        return current().orElseThrow(() -> new BadArgumentException("this records who decided, and this session "
                + "has no user (exec mode): give your name with --as NAME"));
    }
}
