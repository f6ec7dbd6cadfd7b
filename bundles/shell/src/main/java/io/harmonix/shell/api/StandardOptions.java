package io.harmonix.shell.api;

import picocli.CommandLine.Option;

/**
 * The options every command has: {@code --json} and {@code -h/--help}. Add to a picocli command with
 * {@code @Mixin StandardOptions options;}.
 */
public class StandardOptions {
    @Option(names = "--json", description = "Print JSON.")
    public boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    public boolean help;
}
