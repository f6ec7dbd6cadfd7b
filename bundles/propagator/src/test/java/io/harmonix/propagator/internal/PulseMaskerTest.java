package io.harmonix.propagator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pulse.json's secrets as a masker of command output (the fleet sandbox applies it to every build log). */
class PulseMaskerTest {
    @TempDir
    Path dir;

    @Test
    void everySecretOfTheFileIsMaskedAndAChangedFileIsReadAgain() throws Exception {
        Path pulse = dir.resolve("pulse.json");
        Files.writeString(pulse, "{\"secrets\": {\"e1\": {\"signing\": [\"" + Fixture.SECRET + "\"], \"token\": \""
                + Fixture.TOKEN + "\"}}}");
        PulseMasker masker = new PulseMasker(pulse);
        assertEquals("signing with **** and ****; again ****\n", masker.mask("signing with " + Fixture.SECRET
                + " and " + Fixture.TOKEN + "; again " + Fixture.SECRET + "\n"));
        Files.writeString(pulse, "{\"secrets\": {\"e1\": {\"signing\": [\"rotated-signing-key-0001\"]}}}");
        assertEquals("now ****, before " + Fixture.SECRET, masker.mask("now rotated-signing-key-0001, before "
                + Fixture.SECRET), "the rotated file is read again");
    }

    @Test
    void withoutTheFileThereIsNothingToMask() {
        assertEquals("nothing secret", new PulseMasker(dir.resolve("absent.json")).mask("nothing secret"));
    }

    @Test
    void anUnreadableFileFailsTheMaskingWithoutQuotingIt() throws Exception {
        Path pulse = Files.writeString(dir.resolve("pulse.json"), "{\"secrets\": \"half-a-secret-value");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PulseMasker(pulse).mask("text"));
        assertTrue(e.getMessage().contains(pulse.toString()) && !e.getMessage().contains("half-a-secret"),
                e.getMessage());
    }
}
