package io.harmonix.store.postgresql.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between a runtime and its database, standing for a network that drops packets: after
 * {@link #stall()} every connection stays open and nothing more goes through either way (the pumps stop reading, so
 * what is sent waits in the sockets' buffers, as unacknowledged segments wait for a retransmission), and new
 * connections are accepted and stall alike. Neither side is told anything: no reset, no end of stream, so a call
 * waiting for an answer waits until its own timeout. {@link #restore()} lets the bytes through again, none lost (TCP
 * retransmits once the network heals). The itests' LoopbackProxy is its sibling for a cut (connections reset).
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean stalled;

    public StallingProxy(int upstreamPort) throws IOException {
        this.upstream = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "stalling-proxy-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** The port to connect to instead of the database's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing goes through, either way, on any connection; nothing is closed. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** Bytes go through again, those held back first. */
    public void restore() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream), 5_000);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                close(client);
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                while (true) {
                    awaitOpen(); // stalled: not read, so the sender's bytes wait in the socket buffers
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    awaitOpen(); // read just as the stall began: held back, not dropped
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException ended) {
                // either side went away, or the proxy closes
            }
            close(from);
            close(to);
        }, "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    /** Closes the listener and every connection (the pumps end). */
    @Override
    public void close() throws IOException {
        listener.close();
        restore();
        open.forEach(this::close);
    }
}
