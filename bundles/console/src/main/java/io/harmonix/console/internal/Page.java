package io.harmonix.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * A page of a long list: {@code limit} (1 to {@value #MAX}, default {@value #DEFAULT}) items from {@code offset}.
 * Every list of the API is paged so that a run of 100 000 cycles or 10 000 findings never goes out whole.
 */
record Page(int limit, int offset) {
    static final int DEFAULT = 50;
    static final int MAX = 1000;

    /** @throws ApiException 400 naming the parameter when limit or offset is not a number in range */
    static Page of(HttpServletRequest req) {
        return of(req, DEFAULT);
    }

    /** As {@link #of(HttpServletRequest)}, with another default limit. */
    static Page of(HttpServletRequest req, int defaultLimit) {
        return new Page(number(req, "limit", defaultLimit, 1, MAX), number(req, "offset", 0, 0, Integer.MAX_VALUE));
    }

    private static int number(HttpServletRequest req, String name, int otherwise, int min, int max) {
        String text = req.getParameter(name);
        if (text == null) {
            return otherwise;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below with what was expected
        }
        throw ApiException.badRequest("parameter '" + name + "': expected a whole number from " + min + " to "
                + max + ", got '" + text + "'");
    }

    /** What goes out: the items of this page, and the total so that a client can page on. */
    record Of<T>(List<T> items, long total, int limit, int offset) {
    }

    <T> Of<T> slice(List<T> all) {
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + limit, all.size());
        return new Of<>(List.copyOf(all.subList(from, to)), all.size(), limit, offset);
    }
}
