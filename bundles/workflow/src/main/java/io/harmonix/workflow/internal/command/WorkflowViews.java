package io.harmonix.workflow.internal.command;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harmonix.workflow.api.InstanceInfo;
import io.harmonix.workflow.api.InstanceState;
import io.harmonix.workflow.api.TaskState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the workflow API's values read in the shell, shared by the {@code wf:} commands. */
public final class WorkflowViews {
    /** JSON as the other commands write it: times as ISO-8601 text, states in lower case. */
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, new ToStringSerializer(Instant.class))
            .addSerializer(InstanceState.class, lowerCase(InstanceState.class))
            .addSerializer(TaskState.class, lowerCase(TaskState.class)));

    private WorkflowViews() {
    }

    private static <E extends Enum<E>> StdSerializer<E> lowerCase(Class<E> type) {
        return new StdSerializer<>(type) {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        };
    }

    /**
     * @return the JSON tree of an API value (records, lists, maps); an instance also says
     *     {@code succeededWithFailures}, which is not one of its record's fields
     */
    public static JsonNode json(Object value) {
        JsonNode tree = MAPPER.valueToTree(value);
        if (value instanceof InstanceInfo i) {
            ((ObjectNode) tree).put("succeededWithFailures", i.succeededWithFailures());
        } else if (value instanceof java.util.List<?> list) {
            for (int n = 0; n < list.size(); n++) {
                if (list.get(n) instanceof InstanceInfo i) {
                    ((ObjectNode) tree.get(n)).put("succeededWithFailures", i.succeededWithFailures());
                }
            }
        }
        return tree;
    }

    /** @return an instance's state as the commands show it: {@code succeeded with failures} when it tolerated some */
    public static String state(InstanceInfo i) {
        return i.state().name().toLowerCase(Locale.ROOT) + (i.succeededWithFailures() ? " with failures" : "");
    }

    /** @return why it failed, or which tasks failed when it succeeded with failures, in parentheses; or "" */
    public static String why(InstanceInfo i) {
        if (i.error() != null) {
            return " (" + i.error() + ")";
        }
        if (!i.succeededWithFailures()) {
            return "";
        }
        return " (" + String.join("; ", i.tasks().stream().filter(t -> t.state() == TaskState.FAILED)
                .map(t -> "task " + t.id() + " failed: " + t.reason()).toList()) + ")";
    }

    /** @return {@code value} read as JSON into {@code type} */
    public static <T> T read(String value, TypeReference<T> type) throws JsonProcessingException {
        return MAPPER.readValue(value, type);
    }

    /** @return how long from one time to another ({@code 12ms}), or "" when either is unknown */
    public static String took(Instant from, Instant to) {
        return from == null || to == null ? "" : Duration.between(from, to).toMillis() + "ms";
    }
}
