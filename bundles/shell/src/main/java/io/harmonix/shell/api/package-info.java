/**
 * The shell's command contract, so that every capability's Gogo commands read and answer alike: a capability's
 * commands of one scope are a {@link io.harmonix.shell.api.ShellCommands} service (scope by
 * {@link io.harmonix.shell.api.CommandScope}) whose picocli {@code @Command} methods return a
 * {@link io.harmonix.shell.api.CommandResult}; the shell bundle registers a Gogo function per method, parses its
 * options (help, typed values, clear errors: {@link io.harmonix.shell.api.CommandLines}) and prints the result as
 * text ({@link io.harmonix.shell.api.Table}) or JSON. Durations, configuration values and source positions, which
 * engines share too, live in {@code io.harmonix.config.api}.
 *
 * <p>4.2.0: {@link io.harmonix.shell.api.SessionUser}, who the session running a command belongs to (a command that
 * records a person's decision names them). 4.1.0: {@code Json.fields}, a record's JSON view by the names of its components; {@link
 * io.harmonix.shell.api.WorkInFlight}, work that exec mode waits for before it stops the runtime.
 * 4.0.0: a command is a method of a {@code ShellCommands} component instead of a class of its own
 * ({@code ShellCommand}, {@code CommandName} and {@code CommandSummary} are gone): one component a scope, so the
 * commands of a capability share its references and start as one DS component. 3.0.0: commands are services the
 * shell picks up; the {@code StandardOptions} mixin and {@code CommandLines.run(Object, ...)} for hand-written Gogo
 * methods are gone (the shell adds the standard options). 2.0.0: durations, configuration values and source
 * positions moved out, so that updating the shell does not rewire the engines.
 */
@Export
@Version("4.2.0")
package io.harmonix.shell.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
