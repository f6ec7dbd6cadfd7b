package io.harmonix.console.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The console servlet with the parts a test gives it, served by Jetty 12 on loopback, as the runtime serves it. */
final class ConsoleServer implements AutoCloseable {
    private final Server server = new Server();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    ConsoleServer(Path etc, ConsolePart... parts) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ConsoleServlet servlet = new ConsoleServlet(etc, "127.0.0.1", new LiveRuns(), new LiveInstances());
        for (ConsolePart p : parts) {
            servlet.bindPart(p);
        }
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/console/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body}; {@code headers} name, value, name, value... */
    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return milliseconds from sending the request to the first byte of the answer's body */
    double firstByteMillis(String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            if (in.read() < 0) {
                throw new AssertionError(path + ": an empty answer");
            }
            double ms = (System.nanoTime() - start) / 1e6;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return ms;
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
