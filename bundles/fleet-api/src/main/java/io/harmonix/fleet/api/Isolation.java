package io.harmonix.fleet.api;

/** How a command was isolated, strongest first. A check record says which one was applied. */
public enum Isolation {
    /**
     * bubblewrap: no network, the whole file system read-only but the worktree and a scratch folder, a private
     * {@code /tmp}, its own PID namespace (nothing survives it), every capability dropped, a cleared environment.
     */
    SANDBOX,
    /** {@code unshare}: no network; the file system and processes as the runtime's own. */
    NETWORK_ONLY,
    /** none: the command runs as the runtime's user, with its network. Refused unless configured otherwise. */
    NONE
}
