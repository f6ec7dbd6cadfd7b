package io.harmonix.shell.internal;

import io.harmonix.shell.client.Frames;
import io.harmonix.shell.client.ShellClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The runtime's command socket ({@code bin/harmonix client}): in shell and run modes the launcher sets the framework
 * property {@value #SOCKET} to {@code DATA/harmonix.sock}, and this component listens there, each connection a
 * {@link ClientSession}. Only the runtime's owner gets in, twice over: the socket has mode 600 from the moment it
 * can be reached (bound inside a folder of mode 700, given its mode, then renamed into place), and each connection's
 * peer user (SO_PEERCRED) is checked, so a socket whose mode was loosened still refuses another user.
 */
@Component(immediate = true, service = {})
public class ClientListener {
    static final String SOCKET = "harmonix.client.socket";
    /** Exit status of a client refused: the status of {@code bin/harmonix client} when no runtime answers. */
    static final int REFUSED = 2;

    @Reference
    private CommandProcessor processor;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private Bound bound;
    private Thread acceptor;

    /** A listening socket and the user it serves (the owner of its file: this process's user). */
    record Bound(ServerSocketChannel server, Path socket, UserPrincipal owner) {
    }

    @Activate
    void activate(BundleContext context) {
        String socket = context.getProperty(SOCKET);
        if (socket == null || socket.isBlank()) {
            return; // exec mode, or a framework not started by the launcher
        }
        try {
            bound = bind(Path.of(socket));
        } catch (IOException | RuntimeException e) {
            log.error("bin/harmonix client cannot reach this runtime: its socket {} could not be made: {}", socket,
                    e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString());
            return;
        }
        ScriptRunner runner = new ScriptRunner(processor, log);
        acceptor = new Thread(() -> accept(context, runner), "harmonix-client-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Deactivate
    void deactivate() {
        if (bound == null) {
            return;
        }
        try {
            bound.server().close();
            Files.deleteIfExists(bound.socket());
        } catch (IOException e) {
            log.warn("the command socket {} could not be removed: {}", bound.socket(), e.toString());
        }
        sessions.forEach(ClientSession::close);
    }

    /**
     * Binds the socket at {@code socket} with mode 600. A socket file left there is stale (the runtime that made it
     * is gone: this one holds the data folder's lock) and is replaced. The file is bound in a folder of mode 700
     * next to it, where nobody else can reach it while its mode is still the umask's, then renamed into place.
     */
    static Bound bind(Path socket) throws IOException {
        // checked before anything is made: the socket is bound under a shorter path (.sock/s) and renamed, so the
        // bind alone would succeed for a path no client can connect to
        java.util.Optional<String> tooLong = ShellClient.tooLong(socket);
        if (tooLong.isPresent()) {
            throw new IOException(tooLong.get());
        }
        Path dir = socket.resolveSibling(".sock");
        deleteTree(dir);
        Files.deleteIfExists(socket);
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Path inside = dir.resolve("s");
            server.bind(UnixDomainSocketAddress.of(inside));
            Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
            UserPrincipal owner = Files.getOwner(inside);
            Files.move(inside, socket, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(dir);
            return new Bound(server, socket, owner);
        } catch (IOException | RuntimeException e) {
            server.close();
            deleteTree(dir);
            throw e;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.delete(dir);
    }

    private void accept(BundleContext context, ScriptRunner runner) {
        while (true) {
            SocketChannel channel;
            try {
                channel = bound.server().accept();
            } catch (ClosedChannelException e) {
                return; // deactivated
            } catch (IOException e) {
                log.error("the command socket {} failed: {}", bound.socket(), e.toString());
                return;
            }
            String name = "client-" + count.incrementAndGet();
            UserPrincipal user;
            try {
                user = peerUser(channel);
                if (!sameUser(bound.owner(), user)) {
                    refuse(channel, name, user);
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("{}: its user could not be known ({}): refused", name, e.toString());
                close(channel);
                continue;
            }
            ClientSession session = new ClientSession(channel, runner, context, log, name, user.getName());
            sessions.add(session);
            Thread t = new Thread(() -> {
                try {
                    session.run();
                } finally {
                    sessions.remove(session);
                }
            }, "harmonix-" + name);
            t.setDaemon(true);
            t.start();
        }
    }

    /** @return the operating system user of the process at the other end (SO_PEERCRED, told by the kernel) */
    static UserPrincipal peerUser(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user();
    }

    static boolean sameUser(UserPrincipal owner, UserPrincipal peer) {
        return owner.equals(peer) || owner.getName().equals(peer.getName());
    }

    private void refuse(SocketChannel channel, String name, UserPrincipal peer) {
        log.warn("{}: refused user {}: this runtime takes commands from user {} only", name, peer.getName(),
                bound.owner().getName());
        try {
            Frames.writeText(channel, Frames.STDERR, "harmonix client: refused: the runtime of " + bound.socket()
                    .getParent() + " takes commands from user " + bound.owner().getName() + " only, not from "
                    + peer.getName() + "\n");
            Frames.writeExit(channel, REFUSED);
        } catch (IOException e) {
            // gone already
        }
        close(channel);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
