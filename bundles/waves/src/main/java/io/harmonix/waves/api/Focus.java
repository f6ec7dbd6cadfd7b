package io.harmonix.waves.api;

import java.util.Locale;

/** What a small wave works on: one of the enhancement agent types, which is also its factory PID's last part. */
public enum Focus {
    QUALITY, SECURITY, ARCHITECTURE, PERFORMANCE, WORKFLOW;

    /** The factory PID prefix of the agent bundles: {@code io.harmonix.agent.<type>}. */
    public static final String FACTORY_PID_PREFIX = "io.harmonix.agent.";

    /** @return the agent type ({@code quality}) */
    public String type() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the factory PID of the agent bundle of this type ({@code io.harmonix.agent.quality}) */
    public String factoryPid() {
        return FACTORY_PID_PREFIX + type();
    }

    /** @throws IllegalArgumentException naming the types there are */
    public static Focus parse(String text) {
        for (Focus f : values()) {
            if (f.type().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown focus '" + text
                + "': expected quality, security, architecture, performance or workflow");
    }
}
