package io.harmonix.runner.internal.command;

import io.harmonix.runner.api.CycleRunner;
import io.harmonix.shell.api.StandardOptions;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** What every runner command has: the runner, where to print, and the standard options. */
abstract class RunnerCommand implements Callable<Object> {
    final CycleRunner runner;
    final PrintStream out;

    @Mixin
    StandardOptions options;

    RunnerCommand(CycleRunner runner, PrintStream out) {
        this.runner = runner;
        this.out = out;
    }
}
