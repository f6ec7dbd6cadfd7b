package io.harmonix.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The outside world of {@code http/request} tasks, on loopback: a small HTTP/1.1 server (keep-alive, bodies with a
 * Content-Length, as Java's client sends them) that records the {@code Idempotency-Key} of every request, when it
 * came and which runtime sent it, and answers {@code {"v": sum(n) + 1}} for a body {@code {"n": [numbers]}} (a
 * result that depends on the input only, so that outputs can be compared across runs), after a delay standing for
 * the time the service a task calls takes.
 *
 * <p>Which runtime sent a request is read from the kernel, not from the request: the connection's client socket is
 * looked up by its ports in {@code /proc/net/tcp*} and found among the open files of the registered processes
 * (Linux only; the runtimes are this user's processes). Once per connection, when it is accepted.
 */
public final class TaskReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: the task's idempotency key, the runtime that sent it, when ({@link System#nanoTime}). */
    public record Receipt(String key, String node, long at) {
    }

    private final ServerSocket listener;
    private final Map<Long, String> senders = new ConcurrentHashMap<>();
    private final List<Receipt> receipts = new ArrayList<>();

    private volatile long delayMillis;
    /** Open unless {@link #hold()}: answers wait for it (requests are recorded as they come). */
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

    /** @param delayMillis how long each answer takes (the time of the service a task calls) */
    public TaskReceiver(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "receiver-accept");
        t.setDaemon(true);
        t.start();
    }

    /** From now on, requests are recorded but not answered until {@link #release()}. */
    public void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** Answers the requests held, and every one from now on. */
    public void release() {
        gate.countDown();
    }

    /** Sets how long each answer takes from now on. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/task";
    }

    /** Names the process {@code pid} (a runtime's JVM): its requests are recorded as sent by {@code node}. */
    public void sender(long pid, String node) {
        senders.put(pid, node);
    }

    /** @return every request so far, in the order they came */
    public List<Receipt> receipts() {
        synchronized (receipts) {
            return List.copyOf(receipts);
        }
    }

    /** @return how many requests came so far */
    public int count() {
        synchronized (receipts) {
            return receipts.size();
        }
    }

    /** Waits until {@code n} requests came; false after {@code millis}. */
    public boolean awaitCount(int n, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (receipts) {
            while (receipts.size() < n) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                receipts.wait(left);
            }
            return true;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                String node = senderOf(s);
                Thread t = new Thread(() -> serve(s, node), "receiver-" + node);
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, String node) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
                int length = 0;
                String key = null;
                for (String h; !(h = line(in)).isEmpty(); ) {
                    int colon = h.indexOf(':');
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    if (name.equals("content-length")) {
                        length = Integer.parseInt(value);
                    } else if (name.equals("idempotency-key")) {
                        key = value;
                    }
                }
                byte[] body = in.readNBytes(length);
                synchronized (receipts) {
                    receipts.add(new Receipt(key, node, System.nanoTime()));
                    receipts.notifyAll();
                }
                gate.await();
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                String answer;
                int status = 200;
                try {
                    long sum = 1;
                    for (JsonNode n : JSON.readTree(body).get("n")) {
                        sum += n.asLong();
                    }
                    answer = "{\"v\":" + sum + "}";
                } catch (IOException | RuntimeException e) {
                    status = 400;
                    answer = "{\"error\":\"a body {\\\"n\\\": [numbers]} was expected\"}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Bad Request") + "\r\ncontent-type: "
                        + "application/json\r\ncontent-length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException gone) {
            // the runtime went away (killed) or closed its connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return one line without its CRLF; null at the end of the stream */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The registered process holding the other end of {@code s}, or "unknown". */
    private String senderOf(Socket s) {
        String local = String.format(Locale.ROOT, ":%04X", s.getPort());
        String remote = String.format(Locale.ROOT, ":%04X", s.getLocalPort());
        try {
            String inode = null;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String row : Files.readAllLines(Path.of(table))) {
                    String[] f = row.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                        inode = f[9];
                    }
                }
            }
            if (inode == null) {
                return "unknown";
            }
            String link = "socket:[" + inode + "]";
            for (Map.Entry<Long, String> e : senders.entrySet()) {
                List<Long> pids = new ArrayList<>(List.of(e.getKey()));
                ProcessHandle.of(e.getKey()).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
                for (long pid : pids) {
                    if (holds(pid, link)) {
                        return e.getValue();
                    }
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static boolean holds(long pid, String link) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // a file the process closed while listed
                }
            }
        } catch (IOException gone) {
            // a process killed
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
