/**
 * The shell's command contract, so that every capability's Gogo commands read and answer alike: a command is a
 * {@link io.harmonix.shell.api.ShellCommand} service named {@code scope:function} by
 * {@link io.harmonix.shell.api.CommandName}, with picocli options, that returns a
 * {@link io.harmonix.shell.api.CommandResult}; the shell bundle registers its Gogo function, parses its
 * options (help, typed values, clear errors: {@link io.harmonix.shell.api.CommandLines}) and prints the result as
 * text ({@link io.harmonix.shell.api.Table}) or JSON. Durations, configuration values and source positions, which
 * engines share too, live in {@code io.harmonix.config.api}.
 *
 * <p>3.0.0: commands are services the shell picks up; the {@code StandardOptions} mixin and
 * {@code CommandLines.run(Object, ...)} for hand-written Gogo methods are gone (the shell adds the standard options).
 * 2.0.0: durations, configuration values and source positions moved out, so that updating the shell does not rewire
 * the engines.
 */
@Export
@Version("3.0.0")
package io.harmonix.shell.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
