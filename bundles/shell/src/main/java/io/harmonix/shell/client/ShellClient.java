package io.harmonix.shell.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A connection to the command socket of a running runtime: one Gogo session, whose scripts run one after the other
 * ({@link #run}). Plain Java: the launcher runs it without a framework, so that {@code bin/harmonix client} starts
 * as fast as a JVM does.
 */
public final class ShellClient implements AutoCloseable {
    /** The socket's name in the data folder. */
    public static final String SOCKET = "harmonix.sock";
    /**
     * The longest path, in bytes, of a Unix domain socket on Linux: {@code sun_path} holds 108 bytes, the last one
     * the terminating NUL. A data folder deep enough to make its socket's path longer cannot take commands.
     */
    public static final int MAX_SOCKET_PATH = 107;

    private final SocketChannel channel;

    private ShellClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** @return where the runtime of data folder {@code data} listens */
    public static Path socket(Path data) {
        return data.resolve(SOCKET);
    }

    /**
     * @return why no Unix domain socket can be made or reached at {@code socket}: its path is longer than
     *     {@value #MAX_SOCKET_PATH} bytes (which path, how long, what to do); empty when it is not
     */
    public static java.util.Optional<String> tooLong(Path socket) {
        int bytes = socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes <= MAX_SOCKET_PATH) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the command socket's path " + socket + " is " + bytes + " bytes long, and a "
                + "Unix domain socket's path may have at most " + MAX_SOCKET_PATH + " bytes: give the runtime a "
                + "data folder with a path of at most " + (MAX_SOCKET_PATH - SOCKET.length() - 1) + " bytes "
                + "(--data DIR or HARMONIX_DATA, the same for the runtime and its clients)");
    }

    /**
     * Connects to the runtime listening on {@code socket}.
     *
     * @throws IOException as the operating system answered: no such file (no runtime listens), connection refused
     *         (a socket left by a runtime that is gone), permission denied (the socket is another user's), or
     *         {@link #tooLong} when the path is too long for a socket
     */
    public static ShellClient connect(Path socket) throws IOException {
        java.util.Optional<String> tooLong = tooLong(socket);
        if (tooLong.isPresent()) {
            throw new java.net.SocketException(tooLong.get());
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new ShellClient(channel);
    }

    /**
     * Runs {@code script} in the runtime, writing what its commands print to {@code out} and {@code err} as it
     * comes (a {@code --follow} streams live).
     *
     * @return the script's exit status, as exec mode's: 0, 1 when a command failed, 130 when interrupted; 2 when
     *         the runtime refused this client (another user)
     * @throws IOException when the connection broke, or the runtime closed it before the script's end (it stopped)
     */
    public int run(String script, OutputStream out, OutputStream err) throws IOException {
        IOException unsent = null;
        try {
            synchronized (channel) {
                Frames.writeText(channel, Frames.RUN, script);
            }
        } catch (IOException e) {
            // a runtime that refuses this client answers and closes without reading: its answer is still there
            unsent = e;
        }
        while (true) {
            Frames.Frame frame = Frames.read(channel);
            if (frame == null) {
                if (unsent != null) {
                    throw unsent;
                }
                throw new IOException("the runtime closed the connection before the commands ended (it stopped?)");
            }
            switch (frame.type()) {
                case Frames.STDOUT -> {
                    out.write(frame.payload());
                    out.flush();
                }
                case Frames.STDERR -> {
                    err.write(frame.payload());
                    err.flush();
                }
                case Frames.EXIT -> {
                    return frame.status();
                }
                default -> throw new IOException("unexpected frame of type '" + (char) frame.type()
                        + "' from the runtime");
            }
        }
    }

    /** Interrupts the script that runs, as Ctrl-C in the shell; its {@link #run} then ends (status 130). */
    public void interrupt() throws IOException {
        synchronized (channel) {
            Frames.write(channel, Frames.INTERRUPT, new byte[0]);
        }
    }

    /** Ends the session; a script still running is interrupted. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
