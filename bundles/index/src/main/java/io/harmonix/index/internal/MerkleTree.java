package io.harmonix.index.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 (section 2.1) over a log's records: leaf = SHA-256(0x00 || record),
 * node = SHA-256(0x01 || left || right), split at the largest power of two below the size. Holds every leaf hash
 * (32 bytes each, pruned records included) and a frontier of perfect subtrees for an O(log n) root per append.
 */
final class MerkleTree {
    private byte[] leaves = new byte[32 * 1024];
    private long size;
    /** Roots of the perfect subtrees that make up the tree, largest first (the binary digits of size). */
    private final List<byte[]> frontier = new ArrayList<>();

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] leafHash(byte[] record) {
        MessageDigest d = sha256();
        d.update((byte) 0);
        d.update(record);
        return d.digest();
    }

    static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    long size() {
        return size;
    }

    void add(byte[] leafHash) {
        if ((size + 1) * 32 > leaves.length) {
            leaves = Arrays.copyOf(leaves, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(leaves.length * 2L,
                    (size + 1) * 32)));
        }
        System.arraycopy(leafHash, 0, leaves, (int) (size * 32), 32);
        size++;
        // merge equal-sized perfect subtrees, as a binary counter carries
        byte[] h = leafHash;
        long n = size;
        frontier.add(h);
        while ((n & 1) == 0 && frontier.size() > 1) {
            byte[] right = frontier.remove(frontier.size() - 1);
            byte[] left = frontier.remove(frontier.size() - 1);
            frontier.add(node(left, right));
            n >>= 1;
        }
    }

    byte[] leaf(long index) {
        return Arrays.copyOfRange(leaves, (int) (index * 32), (int) (index * 32 + 32));
    }

    /** @return MTH of the whole tree */
    byte[] root() {
        if (size == 0) {
            return sha256().digest();
        }
        byte[] h = frontier.get(frontier.size() - 1);
        for (int i = frontier.size() - 2; i >= 0; i--) {
            h = node(frontier.get(i), h);
        }
        return h;
    }

    /** @return MTH of the first {@code n} leaves */
    byte[] root(long n) {
        return n == size ? root() : mth(0, n);
    }

    /** MTH(D[lo:hi]) */
    byte[] mth(long lo, long hi) {
        long n = hi - lo;
        if (n == 0) {
            return sha256().digest();
        }
        if (n == 1) {
            return leaf(lo);
        }
        long k = Long.highestOneBit(n - 1);
        return node(mth(lo, lo + k), mth(lo + k, hi));
    }

    /** PATH(m, D[0:n]) of RFC 9162 2.1.3.1 */
    List<byte[]> inclusion(long m, long n) {
        List<byte[]> path = new ArrayList<>();
        path(m, 0, n, path);
        return path;
    }

    private void path(long m, long lo, long hi, List<byte[]> out) {
        long n = hi - lo;
        if (n <= 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, lo, lo + k, out);
            out.add(mth(lo + k, hi));
        } else {
            path(m - k, lo + k, hi, out);
            out.add(mth(lo, lo + k));
        }
    }

    /** PROOF(m, D[0:n]) of RFC 9162 2.1.4.1 */
    List<byte[]> consistency(long m, long n) {
        List<byte[]> proof = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(m, 0, n, true, proof);
        }
        return proof;
    }

    private void subproof(long m, long lo, long hi, boolean complete, List<byte[]> out) {
        long n = hi - lo;
        if (m == n) {
            if (!complete) {
                out.add(mth(lo, hi));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, lo, lo + k, complete, out);
            out.add(mth(lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, out);
            out.add(mth(lo, lo + k));
        }
    }
}
