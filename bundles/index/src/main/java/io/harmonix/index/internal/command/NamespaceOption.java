package io.harmonix.index.internal.command;

import io.harmonix.index.api.CycleIndex;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -s/--namespace} option every {@code index:} command takes. */
final class NamespaceOption {
    @Option(names = {"-s", "--namespace"}, paramLabel = "NS", description = "Namespace (default: this runtime's own).")
    String namespace;

    /** @return the namespace given, or this runtime's own */
    String orLocal(CycleIndex index) {
        return namespace == null ? index.localNamespace() : namespace;
    }

    /** @return the namespace given, or every namespace */
    List<String> orEvery(CycleIndex index) throws IOException {
        return namespace == null ? index.namespaces() : List.of(namespace);
    }
}
