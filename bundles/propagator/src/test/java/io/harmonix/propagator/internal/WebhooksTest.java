package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures checked by the independent verifier of the test, and by the specification's published example. */
class WebhooksTest {
    private static final String BODY = "{\"cycle\":1,\"runId\":\"r\"}";

    @Test
    void matchesTheSpecificationsExample() {
        // the example of the Standard Webhooks specification and its reference libraries
        String header = Webhooks.sign(List.of(Webhooks.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }

    @Test
    void aRotationSignsWithEverySecretAndEachVerifiesAlone() throws Exception {
        String header = Webhooks.sign(List.of(Webhooks.key(Fixture.SECRET), Webhooks.key(Fixture.NEW_SECRET)),
                "msg_1", 1700000000L, BODY.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, header.split(" ").length);
        assertTrue(new StandardWebhooksVerifier(Fixture.SECRET).verify("msg_1", "1700000000", BODY, header));
        assertTrue(new StandardWebhooksVerifier(Fixture.NEW_SECRET).verify("msg_1", "1700000000", BODY, header));
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        assertFalse(new StandardWebhooksVerifier(other).verify("msg_1", "1700000000", BODY, header));
    }

    @Test
    void aTamperedBodyIdOrTimestampFails() throws Exception {
        String header = Webhooks.sign(List.of(Webhooks.key(Fixture.SECRET)), "msg_1", 1700000000L,
                BODY.getBytes(StandardCharsets.UTF_8));
        StandardWebhooksVerifier v = new StandardWebhooksVerifier(Fixture.SECRET);
        assertTrue(v.verify("msg_1", "1700000000", BODY, header));
        assertFalse(v.verify("msg_1", "1700000000", BODY.replace("1", "2"), header));
        assertFalse(v.verify("msg_2", "1700000000", BODY, header));
        assertFalse(v.verify("msg_1", "1700000001", BODY, header));
        // and the ingest side's own check agrees
        List<byte[]> keys = List.of(Webhooks.key(Fixture.SECRET));
        assertTrue(Webhooks.verify(keys, "msg_1", 1700000000L, BODY.getBytes(StandardCharsets.UTF_8), header));
        assertFalse(Webhooks.verify(keys, "msg_1", 1700000000L, (BODY + " ").getBytes(StandardCharsets.UTF_8),
                header));
        assertFalse(Webhooks.verify(keys, "msg_1", 1700000000L, BODY.getBytes(StandardCharsets.UTF_8),
                "v2," + header.substring(3)));
    }

    @Test
    void messageIdsAreStablePerEndpointAndCycle() {
        assertEquals(Webhooks.messageId("a", "r:1"), Webhooks.messageId("a", "r:1"));
        assertFalse(Webhooks.messageId("a", "r:1").equals(Webhooks.messageId("b", "r:1")));
        assertFalse(Webhooks.messageId("a", "r:1").equals(Webhooks.messageId("a", "r:2")));
        assertTrue(Webhooks.messageId("a", "r:1").matches("msg_[0-9a-f]{32}"));
    }

    @Test
    void badSecretsAreRefusedWithoutRepeatingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Webhooks.key("whsec_c2hvcnQ="));
        assertFalse(e.getMessage().contains("c2hvcnQ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Webhooks.key("secret"));
    }
}
