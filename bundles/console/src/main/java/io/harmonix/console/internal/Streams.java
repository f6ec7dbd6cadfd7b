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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-sent event streams by key (a run id, an instance id): browsers that follow something stay subscribed
 * until they go; what happens is written to each as {@code event: NAME / data: JSON}.
 *
 * <p>Each stream has a queue of its own, at most {@value #QUEUE} events, written to its browser by a writer task of
 * its own: whoever publishes (the runner's listener thread, the instances' timer) only puts the event in the queues
 * and never writes to a socket, so a browser that stops reading (a stalled network, a suspended laptop) holds its
 * own writer, never the others' live view. A stream that falls {@value #QUEUE} events behind is dropped: what it
 * has not been sent is discarded, it is unsubscribed at once, and its writer sends it {@code event: dropped} (should
 * it read again) and ends it; the page then reloads what it shows. A stream that cannot be written to (the browser
 * left) is dropped too, so a closed tab never holds anything.
 */
final class Streams {
    /** How many events a stream may be behind before it is dropped: well above a run's catch-up of 200 cycles. */
    static final int QUEUE = 1000;

    /** One browser's stream: its queue, and its writer while it has something to write. */
    static final class Stream {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final ExecutorService writers;
        private final Queue<byte[]> queue = new LinkedBlockingQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicBoolean writing = new AtomicBoolean();
        private volatile boolean open = true;
        private volatile boolean dropped;
        /** The last event of a dropped stream: the writer ends the stream once it has sent it. */
        private volatile byte[] farewell;

        private Stream(AsyncContext async, ServletOutputStream out, ExecutorService writers) {
            this.async = async;
            this.out = out;
            this.writers = writers;
        }

        /**
         * Queues an event for this browser; never blocks.
         *
         * @return false when the stream is closed, or has just been dropped for being {@value #QUEUE} events behind
         */
        boolean send(String event, Object data) {
            if (!open || dropped) {
                return false;
            }
            if (queued.incrementAndGet() > QUEUE) {
                drop("this page fell more than " + QUEUE + " events behind: reload it");
                return false;
            }
            queue.add(frame(event, data));
            schedule();
            return true;
        }

        /** What was not sent is discarded; the writer sends {@code dropped} and ends the stream. */
        private void drop(String why) {
            byte[] last = frame("dropped", Map.of("reason", why));
            farewell = last;
            dropped = true;
            queue.clear();
            queue.add(last);
            schedule();
        }

        private static byte[] frame(String event, Object data) {
            return ("event: " + event + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        /** Starts the writer unless it runs: one writer a stream, so its events go out in order. */
        private void schedule() {
            if (writing.compareAndSet(false, true)) {
                try {
                    writers.execute(this::write);
                } catch (RejectedExecutionException e) {
                    writing.set(false);
                    close(); // the console is stopping
                }
            }
        }

        /** The writer: sends what is queued; it may block on a slow browser, holding nobody else. */
        private void write() {
            while (true) {
                for (byte[] next; (next = queue.poll()) != null; ) {
                    queued.decrementAndGet();
                    boolean end = next == farewell;
                    try {
                        out.write(next);
                        out.flush();
                    } catch (IOException | IllegalStateException e) {
                        end = true; // the browser left: nothing more is written
                    }
                    if (end) {
                        queue.clear();
                        close();
                        writing.set(false);
                        return;
                    }
                }
                writing.set(false);
                // an event queued after the last poll and before the flag was cleared found the writer running
                if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        void close() {
            synchronized (this) {
                if (!open) {
                    return;
                }
                open = false;
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container (the browser left)
            }
        }

        boolean open() {
            return open && !dropped;
        }
    }

    private final Map<String, Set<Stream>> byKey = new ConcurrentHashMap<>();
    /** Writers run only while a stream has something to send: idle streams hold no thread. */
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "harmonix-console-stream");
        t.setDaemon(true);
        return t;
    });

    /** Starts an event stream on the request and subscribes it to {@code key}. */
    Stream open(String key, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Stream s = new Stream(async, resp.getOutputStream(), writers);
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

    /** Queues an event for every stream of {@code key}; a stream closed or too far behind is unsubscribed. */
    void send(String key, String event, Object data) {
        Set<Stream> streams = byKey.get(key);
        if (streams != null) {
            for (Stream s : streams) {
                if (!s.send(event, data)) {
                    unsubscribe(key, s);
                }
            }
        }
    }

    /** @return the keys somebody follows now */
    List<String> keys() {
        return List.copyOf(byKey.keySet());
    }

    /** @return how many streams follow {@code key} now */
    int followers(String key) {
        Set<Stream> streams = byKey.get(key);
        return streams == null ? 0 : streams.size();
    }

    void closeAll() {
        byKey.values().forEach(set -> set.forEach(Stream::close));
        byKey.clear();
        writers.shutdown();
    }

    private void drop(String key, Stream s) {
        s.close();
        unsubscribe(key, s);
    }

    private void unsubscribe(String key, Stream s) {
        byKey.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }
}
