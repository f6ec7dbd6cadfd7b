package io.harmonix.propagator.internal.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Hands a command method the picocli model of the call it runs in, to throw a {@code ParameterException} for a
 * rule picocli cannot check itself (the shell then prints the message and the command's usage, as for picocli's
 * own errors). It is a {@code @Mixin} parameter because picocli 4.7.7 takes {@code @Spec} on fields and methods
 * only, not on method parameters; a field of the component would be shared by concurrent calls, while a mixin is
 * made fresh for every call and adds no option of its own. {@code @Command}: picocli refuses a mixin without it.
 */
@Command
final class CallingCommand {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;
}
