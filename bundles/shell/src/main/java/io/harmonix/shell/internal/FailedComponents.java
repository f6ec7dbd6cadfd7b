package io.harmonix.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The components whose activation failed, as the Service Component Runtime reports them, each with the reason in
 * one line: what a command that cannot get its service tells the user, so that "a service it needs could not
 * start" comes with which one and why, not only with a pointer to the log.
 */
final class FailedComponents {
    /** A reason longer than this is cut: the whole stack trace is in the log. */
    static final int MAX_REASON = 300;

    private FailedComponents() {
    }

    /** @return one line per component configuration in {@code FAILED_ACTIVATION}: {@code NAME: REASON} */
    static List<String> of(ServiceComponentRuntime components) {
        List<String> failed = new ArrayList<>();
        for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failed.add(description.name + ": " + reason(configuration.failure));
                }
            }
        }
        return failed;
    }

    /**
     * @param failure the DTO's failure: SCR writes the stack trace of what the activation threw
     * @return the message of its innermost cause (the activation's own exception is often a wrapper), without
     *     the exception's class name when it has a message
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given";
        }
        String[] lines = failure.strip().split("\\R");
        String line = lines[0];
        for (String l : lines) {
            if (l.startsWith("Caused by: ")) {
                line = l.substring("Caused by: ".length());
            }
        }
        // "java.lang.IllegalArgumentException: poolSize = abc ..." -> its message
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[\\w.$]+(?:Exception|Error)[\\w$]*: (.+)$")
                .matcher(line.strip());
        String reason = m.matches() ? m.group(1) : line.strip();
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    }
}
