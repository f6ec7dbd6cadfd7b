package io.harmonix.console.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * The console's JSON: the API records as they are, times and durations as ISO-8601 text (the runtime has no
 * java.time module for Jackson, and text is what a script wants anyway).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule("harmonix-console-time")
                    .addSerializer(Instant.class, new AsText<>())
                    .addSerializer(Duration.class, new AsText<>())
                    .addSerializer(ZoneId.class, new AsText<>()));

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>(); // "error" first: what a person reads
        body.put("error", message);
        body.put("status", status);
        send(resp, status, body);
    }

    private static final class AsText<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
