package io.harmonix.cycle.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard of secret maskers: a bundle that knows secrets (its own configuration's, or how to recognise them)
 * publishes one, and whatever is about to keep or show text that a foreign program printed (a build's log, say)
 * applies every one registered. Several may be registered and come and go at any time; none at all is possible.
 */
@ConsumerType
public interface SecretMasker {
    /**
     * @param text any text
     * @return {@code text} with every secret this masker knows replaced by a form that does not reveal it (as the
     *     security agent's findings show one: its first 4 characters and {@code ****}, or stars); {@code text}
     *     itself when there is none. Never null; must not fail for any text
     */
    String mask(String text);
}
