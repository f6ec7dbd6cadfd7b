package io.harmonix.proposals.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The secret file of the model endpoint ({@code etc/model.json}: {@code {"apiKey": "..."}}), read as the propagator
 * reads {@code etc/pulse.json}: refused when group or others may read it, and no problem text ever quotes what is
 * written in it (a JSON parser's message repeats the token it stopped at, which may be the key: only its line and
 * column are kept).
 */
final class ModelSecret {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelSecret() {
    }

    /** @return the API key of the file */
    static String apiKey(Path file) throws Refused {
        if (!Files.exists(file)) {
            throw new Refused("no secret file " + file + ": write {\"apiKey\": \"...\"} in it (chmod 600)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new Refused(file + ": readable by other users (" + PosixFilePermissions.toString(perms)
                        + "); refused: it holds the model's key. Make it private: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new Refused(file + ": cannot read its permissions: " + e.getClass().getSimpleName());
        }
        JsonNode key = read(file).get("apiKey");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw new Refused(file + ": /apiKey: expected a non-empty string (the endpoint's API key)");
        }
        return key.asText();
    }

    /** @return every string of at least 4 characters in the file (what the masker hides); none when it is missing */
    static List<String> strings(Path file) throws Refused {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        collect(read(file), out);
        return out;
    }

    private static JsonNode read(Path file) throws Refused {
        try {
            JsonNode tree = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (tree == null || !tree.isObject()) {
                throw new Refused(file + ": expected a JSON object {\"apiKey\": \"...\"}");
            }
            return tree;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Refused(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid JSON (the parser's message is not shown: it may quote the key)");
        } catch (IOException e) {
            throw new Refused(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void collect(JsonNode node, List<String> into) {
        if (node.isTextual() && node.asText().length() >= 4) {
            into.add(node.asText());
        }
        node.forEach(n -> collect(n, into));
    }
}
