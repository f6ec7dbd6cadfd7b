package io.harmonix.shell.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The scope of a {@link ShellCommands} component ({@code cycle} in {@code cycle:run}): the capability's short name,
 * as the service property {@value #PROPERTY}, from which the shell registers the component's functions, and read
 * from the class by {@link CommandLines} to name the command in its usage and errors.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CommandScope {
    /** With the type's name, the property is {@value #PROPERTY}. */
    String PREFIX_ = "harmonix.";
    String PROPERTY = "harmonix.command.scope";

    String value();
}
