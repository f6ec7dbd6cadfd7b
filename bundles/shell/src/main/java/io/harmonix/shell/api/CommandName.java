package io.harmonix.shell.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The name a {@link ShellCommand} is called by, {@code scope:function} as the user types it ({@code cycle:run}): the
 * service property {@value #PROPERTY} of its component, from which the shell registers the command's Gogo function
 * without loading the command's class, and the name its usage and errors show. The scope is the capability's short
 * name.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CommandName {
    /** With the type's name, the property is {@value #PROPERTY}. */
    String PREFIX_ = "harmonix.";
    String PROPERTY = "harmonix.command.name";

    /** @return {@code scope:function} */
    String value();
}
