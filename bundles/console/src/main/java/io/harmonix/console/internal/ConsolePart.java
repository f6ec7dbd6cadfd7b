package io.harmonix.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * A part of the console that reads one optional service of another bundle (the index, the waves, the fleet, the
 * autonomy ledger...): a component of its own whose mandatory reference is that service, so that without the
 * bundle (its feature not booted, its API package not wired: the console imports it optionally) the part is simply
 * not there and the console answers that it is not installed, while every other page stays.
 */
public interface ConsolePart {
    /** @return the first segment of the paths it answers, under {@code /console/api} and {@code /console} */
    String name();

    /**
     * Answers {@code GET /console/api/NAME/REST}.
     *
     * @param rest the path after the part's name, decoded
     * @throws ApiException for what does not exist (404) or bad parameters (400)
     */
    void get(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException;

    /**
     * Answers {@code POST /console/api/NAME/REST}: only for what reads but is too costly to be a GET (a GET must be
     * cheap and safe: browsers prefetch, crawlers follow links); the caller has reading's access and sent JSON from
     * the console's own origin.
     *
     * @throws ApiException 404 by default: the part answers no POST
     */
    default void post(List<String> rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        throw ApiException.notFound("no API to POST to at '/console/api/" + name() + (rest.isEmpty() ? "" : "/")
                + String.join("/", rest) + "'");
    }

    /** @return false when the page {@code /console/NAME/ID} names something that does not exist (answered 404) */
    default boolean exists(String id) {
        return true;
    }
}
