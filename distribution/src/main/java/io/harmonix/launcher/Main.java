package io.harmonix.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import io.harmonix.shell.client.ShellClient;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import sun.misc.Signal;

/**
 * {@code bin/harmonix}: starts Felix with the bundles of the configured features, in one of three modes.
 *
 * <pre>
 * harmonix [options]                  interactive Gogo shell
 * harmonix [options] exec 'COMMANDS'  runs the commands, prints their output, exits (1 when one failed)
 * harmonix [options] run              runs without a console until stopped (SIGTERM, Ctrl-C)
 * harmonix [options] client ['COMMANDS']  runs the commands in the runtime that holds the data folder (ClientMode)
 *
 * options: --data DIR        data folder (default: $HARMONIX_DATA, else HOME/data); logs then go to DIR/log
 *          --features A,B    features to boot (default: harmonix.features of etc/harmonix.properties)
 *          --port N          HTTP port (default: org.osgi.service.http.port of etc/harmonix.properties)
 *          --stop-with-parent  stop when the process that started this one is gone
 * </pre>
 *
 * <p>Why over 700 lines: the options, the framework properties and the four modes' start and stop belong to one
 * process entry; what is a mode of its own is split out already ({@link ClientMode}, the exec and shell modes
 * live in the shell bundle), and what remains here is the order of the launch, which reads best in one place.
 */
public final class Main {
    /** Where the training start of {@code bin/harmonix cds} writes the classes it loaded (ClassPreload). */
    static final String RECORD_CLASSES = "harmonix.classes.record";
    /** {@code -Dharmonix.preload=false}: no class preloading (to measure what it saves). */
    static final String PRELOAD = "harmonix.preload";
    private static final String SAX_PARSER_FACTORY = "javax.xml.parsers.SAXParserFactory";
    static final String USAGE = """
            usage: harmonix [--data DIR] [--features A,B] [shell | exec 'COMMANDS' | run | client ['COMMANDS']
                            | help | cds | demo [DIR]]
              shell (default)   interactive Gogo shell; 'help' lists commands, Ctrl-C interrupts the running
                                one, 'exit' or 'quit' (or Ctrl-D) stops; 'exit N' exits with status N
              exec 'COMMANDS'   runs Gogo commands (separated by ';' or new lines), prints their output and
                                exits: 0 when all succeeded, 1 when one failed; on a data folder held by a
                                runtime of shell or run mode, that runtime runs them
              run               runs the runtime without a console until it is stopped (SIGTERM, Ctrl-C)
              client ['COMMANDS']  runs the commands in the runtime (shell or run mode) that holds the data
                                folder, prints their output as exec does and exits with their status (2 when
                                no runtime takes them); without COMMANDS, a line session: 'exit' leaves
              cds               makes this installation's class-data archive (lib/harmonix.jsa) for faster
                                starts: once after unpacking or moving it (the distribution build does)
              demo [DIR]        the autonomy controller end to end on a sample fleet of three repositories
                                made in DIR (default: a new temporary folder), with a home and data folder
                                of its own: this installation's etc/ and data/ stay untouched
              --data DIR        data folder of this runtime (default: $HARMONIX_DATA, else HOME/data);
                                two runtimes side by side need two data folders
              --features A,B    features to boot, from system/features (default: etc/harmonix.properties)
              --port N          HTTP port of shell and run modes (default: etc/harmonix.properties); without
                                it, a runtime whose port is taken listens on a free one and says which
              --stop-with-parent  stop (cleanly) as soon as the process that started this one is gone, so
                                that a killed test or supervisor leaves no runtime behind
            """;

    private Main() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("harmonix: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("harmonix: " + e.getMessage());
            System.exit(1);
        }
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What the command line asks for. */
    record Options(String mode, String script, Path data, List<String> features, Integer port,
            boolean stopWithParent) {
        static Options parse(String[] args, Map<String, String> env) throws UsageException {
            String mode = "shell";
            String script = null;
            Path data = env.get("HARMONIX_DATA") == null ? null : Path.of(env.get("HARMONIX_DATA"));
            List<String> features = null;
            Integer port = null;
            boolean stopWithParent = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> data = Path.of(value(args, ++i, "--data", "a folder"));
                    case "--features" -> features = List.of(value(args, ++i, "--features", "feature names")
                            .split("\\s*,\\s*"));
                    case "--port" -> port = port(value(args, ++i, "--port", "a port number"));
                    case "--stop-with-parent" -> stopWithParent = true;
                    case "shell", "run", "help", "--help", "-h" -> mode = a.startsWith("-") ? "help" : a;
                    case "client" -> {
                        mode = "client";
                        // its commands are optional: the argument after it is they, unless it is an option
                        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            script = value(args, ++i, "client", "the commands to run, quoted");
                        }
                        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            throw new UsageException("client takes one argument: quote the commands, e.g. "
                                    + "harmonix client 'cycle:runs; agent:list'");
                        }
                    }
                    case "exec" -> {
                        mode = "exec";
                        script = value(args, ++i, "exec", "the commands to run, quoted");
                        if (i + 1 < args.length) {
                            throw new UsageException("exec takes one argument: quote the commands, e.g. "
                                    + "harmonix exec 'agent:list; cycle:runs'");
                        }
                    }
                    default -> throw new UsageException("unknown argument '" + a + "'");
                }
            }
            return new Options(mode, script, data, features, port, stopWithParent);
        }

        private static int port(String value) throws UsageException {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new UsageException("--port '" + value + "': expected a port number from 1 to 65535");
        }

        private static String value(String[] args, int i, String option, String what) throws UsageException {
            if (i >= args.length || args[i].isBlank()) {
                throw new UsageException(option + " needs " + what);
            }
            return args[i];
        }
    }

    /** Framework property that makes io.harmonix.shell run the interactive console (InteractiveConsole.CONSOLE). */
    static final String CONSOLE = "harmonix.console";
    /** Service property of the console's interrupt service (InteractiveConsole.INTERRUPT). */
    static final String CONSOLE_INTERRUPT = "harmonix.console.interrupt";
    /** System property where the console leaves the exit status of exit N (InteractiveConsole.STATUS). */
    static final String SHELL_STATUS = "harmonix.shell.status";

    /** Framework property: where the runtime takes commands from clients (ClientListener.SOCKET). */
    static final String CLIENT_SOCKET = "harmonix.client.socket";

    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger JUL_ROOT = java.util.logging.Logger.getLogger("");

    /** Framework properties of Felix HTTP: the address the runtime serves its peers on. */
    static final String HTTP_PORT = "org.osgi.service.http.port";
    static final String HTTP_HOST = "org.apache.felix.http.host";
    /** Exit status when --stop-with-parent stops the runtime: 128 + SIGHUP, as for a hang-up. */
    static final int PARENT_GONE = 129;

    static int run(String[] args) throws Exception {
        Options options = Options.parse(args, System.getenv());
        if (options.mode().equals("help")) {
            System.out.print(USAGE);
            return 0;
        }
        // taken first: once the parent is gone, the operating system gives this process another one (init)
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Path home = Path.of(System.getProperty("harmonix.home", ".")).toAbsolutePath().normalize();
        Path data = (options.data() == null ? home.resolve("data") : options.data()).toAbsolutePath().normalize();
        Path log = System.getenv("HARMONIX_LOG") != null ? Path.of(System.getenv("HARMONIX_LOG")).toAbsolutePath()
                : options.data() == null ? home.resolve("log") : data.resolve("log");
        if (options.mode().equals("client")) {
            return ClientMode.run(data, options.script()); // no framework: the runtime holding data runs them
        }
        Files.createDirectories(data);
        Files.createDirectories(log);

        RandomAccessFile lockFile = new RandomAccessFile(data.resolve(".lock").toFile(), "rw");
        FileLock held = tryLock(lockFile);
        if (held == null) {
            lockFile.close();
            String pid = new String(Files.readAllBytes(data.resolve(".lock")), StandardCharsets.UTF_8).trim();
            pid = pid.isEmpty() ? "?" : pid;
            if (options.mode().equals("exec")) {
                // a runtime of shell or run mode takes the script through its command socket
                Integer status = ClientMode.handOver(data, options.script(), pid);
                if (status != null) {
                    return status;
                }
            }
            throw new IOException("data folder " + data + " is in use by another Harmonix runtime (pid " + pid
                    + "); give this one its own with --data DIR or HARMONIX_DATA");
        }
        try (lockFile; FileLock lock = held) {
            lockFile.setLength(0);
            lockFile.write((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, String> props = frameworkProperties(home, data, log, options);
            // the bundle cache in memory unless etc/harmonix.properties says where, or asks to keep it between starts
            // (BundleCacheFolder says why)
            BundleCacheFolder memoryCache = null;
            if (!props.containsKey(Constants.FRAMEWORK_STORAGE)) {
                if (Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT.equals(props.get(Constants.FRAMEWORK_STORAGE_CLEAN))) {
                    memoryCache = BundleCacheFolder.inMemory(data, BundleCacheFolder.memoryRoots(),
                            BundleCacheFolder.processUid());
                }
                props.put(Constants.FRAMEWORK_STORAGE, (memoryCache != null ? memoryCache.path() : data)
                        .resolve(BundleCacheFolder.CACHE).toString());
            }
            try {
                List<Feature> features = features(home, props.get("harmonix.features"));
                if (serves(props, features, options)) {
                    String moved = choosePort(props, options.port() != null);
                    if (moved != null) {
                        System.err.println("harmonix: " + moved);
                    }
                }
                return boot(props, features, options, parent, memoryCache);
            } finally {
                if (memoryCache != null) {
                    memoryCache.delete(); // before the data folder's lock is let go
                }
            }
        }
    }

    /** @return the data folder's lock, or null when another runtime holds it */
    private static FileLock tryLock(RandomAccessFile file) throws IOException {
        try {
            return file.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** etc/harmonix.properties with ${harmonix.home}, ${harmonix.data} and ${harmonix.log} filled in. */
    static Map<String, String> frameworkProperties(Path home, Path data, Path log, Options options)
            throws IOException {
        Properties file = new Properties();
        Path etc = home.resolve("etc/harmonix.properties");
        if (Files.exists(etc)) {
            try (InputStream in = Files.newInputStream(etc)) {
                file.load(in);
            }
        }
        Map<String, String> vars = Map.of("${harmonix.home}", home.toString(), "${harmonix.data}", data.toString(),
                "${harmonix.log}", log.toString());
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) {
            String v = file.getProperty(key);
            for (var e : vars.entrySet()) {
                v = v.replace(e.getKey(), e.getValue());
            }
            props.put(key, v);
        }
        props.put("harmonix.home", home.toString());
        props.put("harmonix.data", data.toString());
        props.put("harmonix.log.dir", log.toString());
        // The bundle cache (org.osgi.framework.storage: in memory, else DATA/cache, chosen once the data folder's
        // lock is held: BundleCacheFolder) is rebuilt from system/ at every start: a kill -9 cannot leave it
        // half-written for the next start, and a new distribution never runs stale bundles. Durable data lives
        // elsewhere in data/.
        props.putIfAbsent(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.putIfAbsent("harmonix.features", "harmonix-core");
        if (options.features() != null) {
            props.put("harmonix.features", String.join(",", options.features()));
        }
        if (options.port() != null) {
            props.put(HTTP_PORT, options.port().toString());
        }
        switch (options.mode()) {
            case "exec" -> {
                props.put("harmonix.exec", options.script());
                props.put("gosh.args", "--nointeractive --noshutdown");
                // one-shot commands serve nothing: no HTTP listener (and no clash with a running runtime's port)
                props.put("org.apache.felix.http.enable", "false");
            }
            case "run" -> props.put("gosh.args", "--nointeractive --noshutdown");
            default -> {
                // The console is io.harmonix.shell's (Ctrl-C, exit and quit); gosh only provides its commands.
                props.put(CONSOLE, "true");
                props.put("gosh.args", "--nointeractive --noshutdown");
            }
        }
        if (!options.mode().equals("exec")) {
            // shell and run modes take commands from bin/harmonix client (io.harmonix.shell's ClientListener)
            props.put(CLIENT_SOCKET, ShellClient.socket(data).toString());
        }
        return props;
    }

    static List<Feature> features(Path home, String names) throws IOException {
        List<Feature> features = new ArrayList<>();
        for (String name : names.split("\\s*,\\s*")) {
            Path file = home.resolve("system/features").resolve(name + ".json");
            if (!Files.isRegularFile(file)) {
                try (var list = Files.list(home.resolve("system/features"))) {
                    throw new IOException("unknown feature '" + name + "'; known: " + String.join(", ",
                            list.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).sorted().toList()));
                }
            }
            features.add(Feature.read(file));
        }
        return features;
    }

    /** Whether this runtime will listen: shell and run modes of features with Felix HTTP, not switched off. */
    static boolean serves(Map<String, String> props, List<Feature> features, Options options) {
        return !options.mode().equals("exec") && !"false".equals(props.get("org.apache.felix.http.enable"))
                && features.stream().flatMap(f -> f.bundles().stream()).anyMatch(Main::isHttpServer);
    }

    /**
     * The bundles to install, each once with the first booted feature that lists it (and that listing's start
     * order), in the features' order. A runtime that does not serve (exec mode) boots neither Felix HTTP's Jetty nor
     * the features that only serve HTTP (the metrics, the web console: {@value Feature#HTTP_ONLY}); a bundle such a
     * feature shares with a booted one is booted with that one. It would load them to serve nothing (a tenth of the
     * start for Jetty, 0.93 of the time to the first answer for the two features; docs/performance.md).
     */
    static Map<Feature.BundleRef, Feature> bundlesToBoot(List<Feature> features, boolean serving) {
        Map<String, Feature.BundleRef> byId = new LinkedHashMap<>();
        Map<Feature.BundleRef, Feature> boot = new LinkedHashMap<>();
        for (Feature feature : features) {
            if (!serving && feature.httpOnly()) {
                continue;
            }
            for (Feature.BundleRef ref : feature.bundles()) {
                if ((serving || !isHttpServer(ref)) && byId.putIfAbsent(ref.id(), ref) == null) {
                    boot.put(ref, feature);
                }
            }
        }
        return boot;
    }

    /**
     * Whether this start serves: shell and run modes, and the training start of {@code bin/harmonix cds} (exec mode
     * recording its classes), which boots every feature so that its archive and class list serve every mode.
     */
    static boolean serving(String mode, boolean training) {
        return !mode.equals("exec") || training;
    }

    /** Felix HTTP's Jetty bundle: the HTTP server (the servlet API beside it is a small library bundle). */
    static boolean isHttpServer(Feature.BundleRef ref) {
        return ref.artifactId().startsWith("org.apache.felix.http.jetty");
    }

    /**
     * Felix HTTP does not stop the runtime when its port is taken: it logs a stack trace and the runtime runs on,
     * deaf to its peers. So the port is tried first. A port given with --port is this runtime's own: when it is
     * taken, the runtime refuses to start. The port of etc/harmonix.properties is shared by every runtime of the
     * installation (a second one beside the first, with --data, reads the same file): when it is taken, this
     * runtime listens on a free port instead (Felix HTTP cannot be given port 0) and says so.
     *
     * @return what was changed, to tell the user; null when the configured port is free
     * @throws IOException when the port given with --port is taken
     */
    static String choosePort(Map<String, String> props, boolean explicit) throws IOException {
        String host = props.getOrDefault(HTTP_HOST, "0.0.0.0");
        int port;
        try {
            port = Integer.parseInt(props.getOrDefault(HTTP_PORT, "8080").trim());
        } catch (NumberFormatException e) {
            throw new IOException(HTTP_PORT + " = '" + props.get(HTTP_PORT) + "' in etc/harmonix.properties: "
                    + "expected a port number");
        }
        if (free(host, port)) {
            return null;
        }
        if (explicit) {
            throw new IOException("port " + port + " of " + host + " is taken by another process (another Harmonix "
                    + "runtime?): not started; choose another with --port N");
        }
        int other;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, 0));
            other = probe.getLocalPort();
        }
        props.put(HTTP_PORT, Integer.toString(other));
        return "port " + port + " of " + host + " is taken by another process (another Harmonix runtime?): this "
                + "runtime serves its console, /metrics and ingest on " + host + ":" + other + " instead; give it a "
                + "port of its own with --port N, or " + HTTP_PORT + " in etc/harmonix.properties";
    }

    /**
     * What is said when Felix HTTP did not listen although the port was free when tried: it was taken meanwhile, or
     * a configuration of Felix HTTP's own (etc/org.apache.felix.http.cfg) moved it to one that is taken.
     */
    static String notListening(Map<String, String> props) {
        return "harmonix: not listening on " + props.getOrDefault(HTTP_HOST, "0.0.0.0") + ":" + props.get(HTTP_PORT)
                + " (the port was taken since it was tried, or etc/org.apache.felix.http.cfg names one that is), so "
                + "its console, /metrics and peers could not reach it: stopping; choose a free port with --port N, "
                + "or " + HTTP_PORT + " in etc/harmonix.properties";
    }

    private static boolean free(String host, int port) {
        // the same bind as Jetty's (SO_REUSEADDR on): taken by a listener, free in TIME_WAIT
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits (at most {@code millis}) for Felix HTTP's runtime service: it is registered while Jetty starts, in the
     * start level of its bundle, but a configuration arriving from ConfigAdmin may restart Jetty meanwhile.
     *
     * @return where it listens, or null
     */
    private static String awaitEndpoint(BundleContext context, long millis) throws InterruptedException {
        Object changed = new Object();
        org.osgi.framework.ServiceListener listener = event -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        try {
            context.addServiceListener(listener, "(objectClass=" + HTTP_RUNTIME + ")");
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return endpoint(context);
        }
        try {
            long end = System.currentTimeMillis() + millis;
            synchronized (changed) {
                String endpoint;
                long left;
                while ((endpoint = endpoint(context)) == null && (left = end - System.currentTimeMillis()) > 0) {
                    changed.wait(left);
                }
                return endpoint;
            }
        } finally {
            try {
                context.removeServiceListener(listener);
            } catch (IllegalStateException e) {
                // the framework stopped meanwhile
            }
        }
    }

    private static final String HTTP_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";

    /** The URL Felix HTTP listens on, from its runtime service; null when it does not listen. */
    private static String endpoint(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(HTTP_RUNTIME, null);
            if (refs != null) {
                Object endpoint = refs[0].getProperty("osgi.http.endpoint");
                if (endpoint instanceof String[] all && all.length > 0) {
                    return all[0];
                }
                if (endpoint != null) {
                    return endpoint.toString();
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no filter given; a framework already stopping has no endpoint
        }
        return null;
    }

    /**
     * --stop-with-parent: a runtime started by a test (or a supervisor) must not outlive it. When the parent dies,
     * even by SIGKILL, the operating system gives this process another parent: the watcher sees its parent's pid
     * change and stops the runtime as SIGTERM would (every bundle in order, through the shutdown hook). Polling
     * /proc/self/stat five times a second costs nothing and needs no native code (PR_SET_PDEATHSIG would).
     */
    private static void stopWithParent(long parent) {
        Thread watcher = new Thread(() -> {
            try {
                while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parent) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("harmonix: the process that started this runtime (pid " + parent
                    + ") is gone: stopping");
            System.exit(PARENT_GONE);
        }, "harmonix-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static int boot(Map<String, String> props, List<Feature> features, Options options, long parent,
            BundleCacheFolder memoryCache) throws Exception {
        // java.util.logging (SPI Fly reports every provider it registers at INFO): warnings only
        JUL_ROOT.setLevel(java.util.logging.Level.WARNING);
        // SCR asks the JDK for a SAX parser factory for every component descriptor it reads; named, the JDK's own is
        // made at once instead of being looked for by a ServiceLoader scan of the class path each time
        if (System.getProperty(SAX_PARSER_FACTORY) == null) {
            System.setProperty(SAX_PARSER_FACTORY, "com.sun.org.apache.xerces.internal.jaxp.SAXParserFactoryImpl");
        }
        if (options.mode().equals("exec")) {
            // the HTTP service says at WARN that it does not listen, which exec mode asked for
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.felix.http", "error");
        }
        // slf4j-simple reads its settings from system properties only
        props.forEach((k, v) -> {
            if (k.startsWith("org.slf4j.simpleLogger.") && System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
        String record = System.getProperty(RECORD_CLASSES);
        Map<Feature.BundleRef, Feature> toBoot = bundlesToBoot(features, serving(options.mode(), record != null));
        int maxLevel = toBoot.keySet().stream().mapToInt(Feature.BundleRef::startOrder).max().orElse(1);
        Map<String, Object> config = new HashMap<>(props);
        config.putIfAbsent(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(maxLevel));
        Felix felix = new Felix(config);
        felix.init();
        BundleContext context = felix.getBundleContext();
        Path system = Path.of(props.get("harmonix.home")).resolve("system");
        List<Bundle> installed = new ArrayList<>();
        for (Map.Entry<Feature.BundleRef, Feature> listed : toBoot.entrySet()) {
            Feature feature = listed.getValue();
            Feature.BundleRef ref = listed.getKey();
            Path jar = system.resolve(ref.repositoryPath());
            if (!Files.isRegularFile(jar)) {
                throw new IOException("feature " + feature.name() + " lists " + ref.id() + " but " + jar
                        + " is missing: the installation is incomplete");
            }
            // by reference: Felix reads the jar where it is instead of copying it into its cache first
            Bundle b = context.installBundle("reference:" + jar.toUri());
            b.adapt(BundleStartLevel.class).setStartLevel(ref.startOrder());
            installed.add(b);
        }
        // Every bundle resolved in one pass, before the start levels: started one by one, each start resolved its
        // bundle on its own (the resolver's set-up each time, its pool's threads woken for each): 0.88-0.93 of the
        // time to the first answer (docs/performance.md). A bundle that cannot resolve is tried again at its start
        // and reported as before (reportInactive).
        felix.adapt(FrameworkWiring.class).resolveBundles(installed);
        // bin/harmonix cds records the classes a start loads; other starts load them ahead (ClassPreload says why)
        ClassPreload.Recording recording = record == null ? null : ClassPreload.record(context);
        if (record == null && !"false".equals(System.getProperty(PRELOAD))) {
            ClassPreload.start(felix, installed,
                    Path.of(props.get("harmonix.home")).resolve("lib").resolve(ClassPreload.FILE));
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start(); // started when the framework reaches its start level
            }
        }
        Thread hook = new Thread(() -> {
            stop(felix);
            if (memoryCache != null) {
                memoryCache.delete(); // the JVM exits after its hooks: run()'s finally may not run
            }
        }, "harmonix-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (options.stopWithParent()) {
            stopWithParent(parent);
        }
        if (options.mode().equals("shell")) {
            routeCtrlCToConsole(context);
        }
        String endpoint = null;
        try {
            felix.start();
            reportInactive(felix, installed);
            if (serves(props, features, options) && felix.getState() == Bundle.ACTIVE) {
                // start() returns once every start level is reached: Felix HTTP has listened, or failed to
                endpoint = awaitEndpoint(context, 10_000);
            }
        } catch (Exception | Error e) {
            // stopped here, before run() deletes the bundle cache folder and lets the data folder's lock go
            stop(felix);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a SIGTERM meanwhile: the hook stops it too
            }
            throw e;
        }
        String listening = "";
        if (serves(props, features, options) && felix.getState() == Bundle.ACTIVE) {
            if (endpoint == null) {
                System.err.println(notListening(props));
                stop(felix);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down (a SIGTERM meanwhile)
                }
                return 1;
            }
            listening = ", listening on " + endpoint;
        }
        if (options.mode().equals("run")) {
            System.out.println("Harmonix running (home " + props.get("harmonix.home") + ", data "
                    + props.get("harmonix.data") + listening + "); stop it with SIGTERM or Ctrl-C");
        }
        FrameworkEvent end = felix.waitForStop(0);
        if (recording != null) {
            recording.write(Path.of(record));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        if (end.getType() == FrameworkEvent.ERROR) {
            System.err.println("harmonix: framework stopped with an error: " + end.getThrowable());
            return 1;
        }
        if (options.mode().equals("shell")) {
            // exit N of the console; 0 when the framework was stopped some other way
            return Integer.parseInt(System.getProperty(SHELL_STATUS, "0"));
        }
        if (options.mode().equals("exec")) {
            String status = System.getProperty("harmonix.exec.status");
            if (status == null) {
                System.err.println("harmonix: the commands did not run: bundle io.harmonix.shell is not active");
                return 1;
            }
            return Integer.parseInt(status);
        }
        return 0;
    }

    /** Bundles that should be active and are not: say so, with the reason when the resolver gives one. */
    private static void reportInactive(Felix felix, List<Bundle> bundles) {
        for (Bundle b : bundles) {
            // exec mode may already be stopping the framework (start levels going down): nothing to report then
            int level = felix.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class).getStartLevel();
            if (felix.getState() != Bundle.ACTIVE || b.adapt(BundleStartLevel.class).getStartLevel() > level) {
                continue;
            }
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE && b.getState() != Bundle.STARTING) {
                String why = "";
                try {
                    b.start(Bundle.START_TRANSIENT);
                } catch (BundleException e) {
                    why = ": " + e.getMessage();
                }
                if (b.getState() != Bundle.ACTIVE) {
                    System.err.println("harmonix: bundle " + b.getSymbolicName() + " is not active" + why);
                }
            }
        }
    }

    /**
     * Shell mode: Ctrl-C (SIGINT from the terminal) goes to the interactive console, which interrupts the command
     * it runs or starts a new prompt, instead of the JVM's default, a shutdown that stops every bundle. The
     * console (io.harmonix.shell) publishes a {@link BooleanSupplier} with the service property
     * {@value #CONSOLE_INTERRUPT} = true that takes the interrupt while it reads or runs lines, and answers false
     * before it is up and after it has ended: Ctrl-C then still stops the runtime as the default would have
     * (128 + signal number, through the shutdown hook). SIGTERM keeps its default.
     */
    private static void routeCtrlCToConsole(BundleContext context) {
        try {
            Signal.handle(new Signal("INT"), signal -> {
                if (!interruptConsole(context)) {
                    System.exit(128 + signal.getNumber());
                }
            });
        } catch (IllegalArgumentException e) {
            // SIGINT is not the JVM's to handle (java -Xrs): Ctrl-C keeps the operating system's default
        }
    }

    /** @return whether a console took the interrupt */
    private static boolean interruptConsole(BundleContext context) {
        try {
            for (ServiceReference<BooleanSupplier> ref : context.getServiceReferences(BooleanSupplier.class,
                    "(" + CONSOLE_INTERRUPT + "=true)")) {
                BooleanSupplier console = context.getService(ref);
                if (console != null) {
                    try {
                        return console.getAsBoolean();
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // the framework is stopping (its context is no longer valid): no console
        }
        return false;
    }

    private static void stop(Felix felix) {
        try {
            felix.stop();
            felix.waitForStop(15_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("harmonix: stopping the framework failed: " + e.getMessage());
        }
    }
}
