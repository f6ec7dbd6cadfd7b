package io.harmonix.console.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-sent event streams by key (a run id, an instance id): browsers that follow something stay subscribed
 * until they go; what happens is written to each as {@code event: NAME / data: JSON}. A stream that cannot be
 * written to (the browser left) is dropped at once, so a closed tab never holds anything.
 */
final class Streams {
    /** One browser's stream. Writes are serialised: events of several threads never interleave. */
    static final class Stream {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private volatile boolean open = true;

        private Stream(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        synchronized boolean send(String event, Object data) {
            if (!open) {
                return false;
            }
            try {
                out.write(("event: " + event + "\ndata: " + Json.write(data) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | IllegalStateException e) {
                close();
                return false;
            }
        }

        synchronized void close() {
            if (open) {
                open = false;
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // already completed by the container (the browser left)
                }
            }
        }

        boolean open() {
            return open;
        }
    }

    private final Map<String, Set<Stream>> byKey = new ConcurrentHashMap<>();

    /** Starts an event stream on the request and subscribes it to {@code key}. */
    Stream open(String key, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Stream s = new Stream(async, resp.getOutputStream());
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                drop(key, s);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                drop(key, s);
            }

            @Override
            public void onError(AsyncEvent event) {
                drop(key, s);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // nothing: streams are started once
            }
        });
        byKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(s);
        s.send("hello", Map.of("key", key));
        return s;
    }

    /** Sends to every stream of {@code key}; those that fail are dropped. */
    void send(String key, String event, Object data) {
        Set<Stream> streams = byKey.get(key);
        if (streams != null) {
            for (Stream s : streams) {
                if (!s.send(event, data)) {
                    drop(key, s);
                }
            }
        }
    }

    /** @return the keys somebody follows now */
    List<String> keys() {
        return List.copyOf(byKey.keySet());
    }

    void closeAll() {
        byKey.values().forEach(set -> set.forEach(Stream::close));
        byKey.clear();
    }

    private void drop(String key, Stream s) {
        s.close();
        byKey.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }
}
