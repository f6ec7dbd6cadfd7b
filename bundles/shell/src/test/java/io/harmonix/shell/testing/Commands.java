package io.harmonix.shell.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * For the unit tests of commands components: their services come in as DS field references ({@code @Reference
 * private CycleRunner runner;}), which only DS sets; this sets them the same way on a plain object, so a test runs
 * the commands over an engine of its own without a framework.
 */
public final class Commands {
    private Commands() {
    }

    /**
     * @param commands a commands component just constructed
     * @param services the services it references: each goes into the one instance field of a type it has
     * @return {@code commands}, its references set
     */
    public static <T> T over(T commands, Object... services) {
        for (Object service : services) {
            Field target = null;
            for (Field f : commands.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && f.getType().isInstance(service)) {
                    if (target != null) {
                        throw new IllegalArgumentException(commands.getClass().getSimpleName() + " has two fields a "
                                + service.getClass().getSimpleName() + " fits: " + target.getName() + " and "
                                + f.getName());
                    }
                    target = f;
                }
            }
            if (target == null) {
                throw new IllegalArgumentException(commands.getClass().getSimpleName() + " has no field a "
                        + service.getClass().getSimpleName() + " fits");
            }
            try {
                target.setAccessible(true);
                target.set(commands, service);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return commands;
    }
}
