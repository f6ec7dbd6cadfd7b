package io.harmonix.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's optional parts ({@link ConsolePart}) by name, as Declarative Services binds and unbinds them. A name
 * the console knows whose part is absent is answered 503 naming the service and the feature that brings it.
 */
final class Parts {
    /** Each part's name, and what it reads (for the answer when it is absent). */
    static final Map<String, String> KNOWN = Map.of(
            "states", "state store (feature harmonix-core)",
            "index", "cycle index (feature harmonix-core)",
            "proofs", "cycle index (feature harmonix-core)",
            "waves", "wave coordinator (feature harmonix-waves)",
            "enhancements", "enhancement ledger (feature harmonix-waves)",
            "fleet", "fleet catalogue (feature harmonix-fleet)",
            "ledger", "backlog ledger (feature harmonix-autonomy)",
            "changes", "change requests (feature harmonix-autonomy)");
    private final Map<String, ConsolePart> bound = new ConcurrentHashMap<>();

    void bind(ConsolePart part) {
        bound.put(part.name(), part);
    }

    void unbind(ConsolePart part) {
        bound.remove(part.name(), part);
    }

    /** @return true for a path whose first segment is a part's */
    static boolean owns(List<String> path) {
        return !path.isEmpty() && KNOWN.containsKey(path.get(0));
    }

    void get(List<String> path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Page.of(req); // bad paging answered 400 first, as for every API
        part(path.get(0)).get(path.subList(1, path.size()), req, resp);
    }

    void post(List<String> path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        part(path.get(0)).post(path.subList(1, path.size()), req, resp);
    }

    /** @return whether a part's page names something that exists (true without the part: the script says so) */
    boolean exists(String name, String id) {
        ConsolePart p = bound.get(name);
        return p == null || p.exists(id);
    }

    /** @return the 404 of a path a part does not answer */
    static ApiException noApi(String part, List<String> rest) {
        return ApiException.notFound("no API '/console/api/" + part + (rest.isEmpty() ? "" : "/")
                + String.join("/", rest) + "'");
    }

    /** @return the value of a query parameter that must be one of {@code names} (any case), or null when absent */
    static <E extends Enum<E>> E choice(HttpServletRequest req, String parameter, Class<E> type) {
        String v = req.getParameter(parameter);
        if (v == null || v.isBlank()) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.trim())) {
                return e;
            }
        }
        throw ApiException.badRequest("parameter '" + parameter + "': expected one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(
                        java.util.Locale.ROOT)).toList() + ", got '" + v + "'");
    }

    private ConsolePart part(String name) {
        ConsolePart p = bound.get(name);
        if (p == null) {
            throw new ApiException(503, "the " + KNOWN.get(name) + " is not installed or not started");
        }
        return p;
    }
}
