package io.harmonix.workflow.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds given values to a workflow's declared inputs: defaults, required ones, types (text converted). */
final class Inputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Inputs() {
    }

    /** @throws IllegalArgumentException naming every input that is missing, unknown or of the wrong type */
    static Map<String, Object> bind(Model.Workflow wf, Map<String, Object> given) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        given.keySet().stream().filter(k -> !wf.inputs().containsKey(k)).forEach(k -> errors.add("unknown input '"
                + k + "'; inputs: " + (wf.inputs().isEmpty() ? "none" : String.join(", ", wf.inputs().keySet()))));
        for (Model.Input in : wf.inputs().values()) {
            Object v = given.get(in.name());
            if (v == null) {
                if (in.defaultValue() != null) {
                    out.put(in.name(), in.defaultValue());
                } else if (in.required()) {
                    errors.add("input '" + in.name() + "' (" + in.type() + ") is required");
                }
                continue;
            }
            Object typed = v instanceof String s && !in.type().equals("string") ? convert(s, in.type()) : v;
            if (typed == null || !DefinitionReader.fits(in.type(), typed)) {
                errors.add("input '" + in.name() + "' = " + v + ": expected " + in.type());
            } else {
                out.put(in.name(), typed);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return out;
    }

    private static Object convert(String s, String type) {
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(s.trim());
                case "number" -> Double.parseDouble(s.trim());
                case "boolean" -> s.trim().equals("true") ? Boolean.TRUE : s.trim().equals("false") ? Boolean.FALSE
                        : null;
                default -> JSON.readValue(s, Object.class); // array, object: JSON text
            };
        } catch (Exception e) {
            return null;
        }
    }
}
