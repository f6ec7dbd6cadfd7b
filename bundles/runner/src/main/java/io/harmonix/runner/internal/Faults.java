package io.harmonix.runner.internal;

/** How a failure reads in a run's message: what failed, and what the system said (often the deepest cause). */
final class Faults {
    private Faults() {
    }

    /**
     * @return the exception's message, followed by its deepest cause's when that one says something more (a
     *     "No space left on device" under Derby's or the index's own words)
     */
    static String describe(Throwable e) {
        String top = message(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String deepest = message(root);
        return root == e || top.contains(deepest) ? top : top + " (" + deepest + ")";
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
    }
}
