package io.harmonix.shell.api;

import picocli.CommandLine.Option;

/** The options {@link CommandLines} adds to every command. */
final class StandardOptions {
    // order -2: listed before the command's own options when it lists them as declared (sortOptions = false), as
    // when every command inherited them from its base class
    @Option(names = "--json", order = -2, description = "Print JSON.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = -2, description = "Show this help.")
    boolean help;
}
