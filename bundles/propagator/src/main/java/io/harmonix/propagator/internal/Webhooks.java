package io.harmonix.propagator.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing and verifying as the Standard Webhooks specification says: the signed content is
 * {@code webhook-id + "." + webhook-timestamp + "." + body}; a signature is {@code v1,} + base64 of its
 * HMAC-SHA256 under the secret's key (the base64 after {@code whsec_}); several signatures are separated by spaces.
 */
final class Webhooks {
    static final String SECRET_PREFIX = "whsec_";

    private Webhooks() {
    }

    /** @return the key of a {@code whsec_} secret; the message never repeats the secret */
    static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with whsec_");
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            if (key.length < 16 || key.length > 64) {
                throw new IllegalArgumentException("a signing secret's key is 16 to 64 bytes; this one is "
                        + key.length);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret is whsec_ followed by base64 ("
                    + e.getMessage() + ")");
        }
    }

    /** A message id stable per endpoint and cycle: a receiver that saw it can drop a repeat. */
    static String messageId(String endpointId, String cycleId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((endpointId + "\n" + cycleId).getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the {@code webhook-signature} header: one {@code v1,} signature per key */
    static String sign(List<byte[]> keys, String messageId, long timestamp, byte[] body) {
        List<String> sigs = new ArrayList<>();
        for (byte[] key : keys) {
            sigs.add("v1," + Base64.getEncoder().encodeToString(hmac(key, messageId, timestamp, body)));
        }
        return String.join(" ", sigs);
    }

    /** @return true when one of the header's v1 signatures matches one of the keys (compared in constant time) */
    static boolean verify(List<byte[]> keys, String messageId, long timestamp, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        for (byte[] key : keys) {
            byte[] expected = hmac(key, messageId, timestamp, body);
            for (String part : header.trim().split("\\s+")) {
                int comma = part.indexOf(',');
                if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(part.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, String messageId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
