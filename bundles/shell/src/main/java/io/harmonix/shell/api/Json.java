package io.harmonix.shell.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code --json} output of commands: one pretty-printed JSON document, or for a streamed result one compact line
 * per item.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** Keys sorted: a snapshot's line is then its canonical JSON, the same bytes its digest and the index use. */
    private static final ObjectMapper LINES = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * A record's view in the {@code --json} output, by the names of its components.
     *
     * @param components names of components of {@code record}, in the order the object lists them
     * @return an object of those components under their own names: text, numbers, booleans and JSON trees as they
     *     are, null as null, anything else (an {@code Instant}, say) as its {@code toString()}
     * @throws IllegalArgumentException naming a component the record does not have
     */
    public static ObjectNode fields(Record record, String... components) {
        Map<String, RecordComponent> byName = new HashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            byName.put(c.getName(), c);
        }
        ObjectNode o = object();
        for (String name : components) {
            RecordComponent c = byName.get(name);
            if (c == null) {
                throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component '" + name
                        + "'; components: " + String.join(", ", byName.keySet().stream().sorted().toList()));
            }
            o.set(name, node(value(record, c)));
        }
        return o;
    }

    private static Object value(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("component " + c.getName() + " could not be read", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("component " + c.getName() + " could not be read", e.getCause());
        }
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return MAPPER.valueToTree(value);
        }
        return TextNode.valueOf(value.toString());
    }

    public static String pretty(JsonNode node) {
        return write(MAPPER, node);
    }

    /** @return {@code node} as one line of compact JSON, keys sorted */
    static String line(JsonNode node) {
        return write(LINES, node);
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
