package io.harmonix.index.testing;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The verification algorithms of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency), written from
 * the RFC's text for the tests: independent of the code under test (it shares no code with MerkleTree). In the
 * index's test jar, so that the bundles that write to the index (the autonomy decision log) check their proofs
 * with the same independent verifier.
 */
public final class Rfc9162Verifier {
    private Rfc9162Verifier() {
    }

    private static byte[] h(int prefix, byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update((byte) prefix);
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    public static byte[] leaf(byte[] record) throws Exception {
        return h(0, record);
    }

    private static byte[] x(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    public static boolean inclusion(long leafIndex, long treeSize, String leafHash, List<String> path, String root)
            throws Exception {
        if (leafIndex >= treeSize) {
            return false;
        }
        byte[][] r = {x(leafHash)};
        boolean walked = walk(leafIndex, treeSize - 1, path,
                (p, left) -> r[0] = left ? h(1, p, r[0]) : h(1, r[0], p));
        return walked && Arrays.equals(r[0], x(root));
    }

    public static boolean consistency(long first, long second, String firstHash, String secondHash, List<String> proof)
            throws Exception {
        if (first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && firstHash.equals(secondHash);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<String> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[][] fr = {x(path.get(0))};
        byte[][] sr = {x(path.get(0))};
        boolean walked = walk(fn, sn, path.subList(1, path.size()), (c, left) -> {
            if (left) {
                fr[0] = h(1, c, fr[0]);
                sr[0] = h(1, c, sr[0]);
            } else {
                sr[0] = h(1, sr[0], c);
            }
        });
        return walked && Arrays.equals(fr[0], x(firstHash)) && Arrays.equals(sr[0], x(secondHash));
    }

    /** What both algorithms do with one value of the path: hash it in on the left of the running hash, or right. */
    private interface Step {
        void take(byte[] value, boolean left) throws Exception;
    }

    /**
     * The loop both algorithms share, in the RFC's words: for each value, fail if sn is 0; if LSB(fn) is set or fn
     * equals sn, hash the value in on the left and, if LSB(fn) is not set, right-shift fn and sn until LSB(fn) is
     * set or fn is 0; otherwise hash it in on the right; then right-shift both once.
     *
     * @return false when sn reached 0 before the path's end, else whether sn is 0 at its end
     */
    private static boolean walk(long fn, long sn, List<String> path, Step step) throws Exception {
        for (String hex : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                step.take(x(hex), true);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                step.take(x(hex), false);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0;
    }
}
