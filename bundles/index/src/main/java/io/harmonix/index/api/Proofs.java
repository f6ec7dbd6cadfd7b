package io.harmonix.index.api;

import java.util.List;

/** RFC 9162 proofs, hashes as lower-case hex. */
public final class Proofs {
    private Proofs() {
    }

    /**
     * An inclusion proof: leaf {@code leafIndex} is in the tree of {@code treeSize} leaves whose root is
     * {@code root}.
     *
     * @param leafHash SHA-256(0x00 || record)
     * @param path the audit path, bottom up
     */
    public record Inclusion(String cycleId, long leafIndex, long treeSize, String leafHash, List<String> path,
            String root) {
    }

    /** A consistency proof: the tree of {@code oldSize} leaves ({@code oldRoot}) is a prefix of the one of {@code newSize}. */
    public record Consistency(long oldSize, long newSize, String oldRoot, String newRoot, List<String> path) {
    }
}
