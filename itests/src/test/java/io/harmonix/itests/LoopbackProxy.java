package io.harmonix.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that a test controls, standing for the network between a runtime and its database:
 * every connection accepted is joined to a new connection to the upstream port, bytes pumped both ways on two
 * threads. {@link #cut()} resets every connection open (both sides, {@code SO_LINGER 0}) and resets each new one at
 * once until {@link #restore()}: for the runtime behind it, the database is gone, as when a cable is pulled and
 * the database restarted meanwhile (the connections it held are dead, new ones fail).
 */
final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;

    LoopbackProxy(int upstreamPort) throws IOException {
        this.upstream = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** The port the runtime connects to instead of the database's. */
    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection now and refuses (resets) new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        open.forEach(LoopbackProxy::reset);
        open.clear();
    }

    /** New connections go through again. */
    void restore() {
        cut = false;
    }

    /** @return connections accepted and passed on, and connections refused while cut */
    String counts() {
        return accepted.get() + " connections passed, " + refused.get() + " refused while cut";
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream), 5_000);
                open.add(client);
                open.add(server);
                accepted.incrementAndGet();
                pump(client, server);
                pump(server, client);
                if (cut) { // cut while this one was being joined: cut() may have missed it
                    reset(client);
                    reset(server);
                }
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // either side went away or was reset by cut(): the other side goes too
            }
            reset(from);
            reset(to);
            open.remove(from);
            open.remove(to);
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // an RST, not a FIN: the peer's next read or write fails at once
        } catch (IOException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
