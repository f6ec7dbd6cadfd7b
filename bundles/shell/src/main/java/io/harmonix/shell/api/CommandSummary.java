package io.harmonix.shell.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The one line {@code help} shows for a {@link ShellCommand} ("start a run of agents, cycle after cycle"): the
 * service property {@value #PROPERTY} of its component. The picocli description is the longer {@code --help} text.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CommandSummary {
    /** With the type's name, the property is {@value #PROPERTY}. */
    String PREFIX_ = "harmonix.";
    String PROPERTY = "harmonix.command.summary";

    String value();
}
