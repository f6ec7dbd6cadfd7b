package io.harmonix.index.internal;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The verification algorithms of RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency), written from
 * the RFC's text for the tests: independent of the code under test (it shares no code with MerkleTree).
 */
final class Rfc9162Verifier {
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

    static byte[] leaf(byte[] record) throws Exception {
        return h(0, record);
    }

    private static byte[] x(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static boolean inclusion(long leafIndex, long treeSize, String leafHash, List<String> path, String root)
            throws Exception {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = x(leafHash);
        for (String hex : path) {
            byte[] p = x(hex);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = h(1, p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = h(1, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, x(root));
    }

    static boolean consistency(long first, long second, String firstHash, String secondHash, List<String> proof)
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
        byte[] fr = x(path.get(0));
        byte[] sr = x(path.get(0));
        for (String hex : path.subList(1, path.size())) {
            byte[] c = x(hex);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = h(1, c, fr);
                sr = h(1, c, sr);
                if ((fn & 1) == 0) {
                    while (!((fn & 1) == 1 || fn == 0)) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = h(1, sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, x(firstHash)) && Arrays.equals(sr, x(secondHash)) && sn == 0;
    }
}
