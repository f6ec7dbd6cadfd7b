package io.harmonix.autonomy.internal.crash;

/**
 * Where the packaged runtime halts as a kill -9 would (no shutdown hook, nothing flushed) when the system property
 * {@value #PROPERTY} names the point: {@code decided} and {@code moved} in SHIP (the ship decision recorded, main not
 * moved yet; main moved, the ship not finished), {@code end-sense} ... {@code end-ship} when a phase's result is
 * recorded and the workflow has not yet recorded its task as ended. It exists for AutonomyKillIT, which must stop
 * the runtime exactly in those windows: a kill from outside timed on log lines cannot hit them. Unset, it does
 * nothing.
 */
public final class CrashPoints {
    /** The system property naming the point to halt at. */
    public static final String PROPERTY = "harmonix.autonomy.crashPoint";
    /** The exit status of a halt at a crash point. */
    public static final int EXIT = 97;

    private CrashPoints() {
    }

    /** Halts the JVM when {@value #PROPERTY} names {@code point}. */
    public static void reach(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.println("harmonix: halted at the autonomy crash point '" + point + "' (" + PROPERTY + ")");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT);
        }
    }
}
