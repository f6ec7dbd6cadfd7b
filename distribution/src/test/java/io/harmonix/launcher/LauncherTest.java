package io.harmonix.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void commandLineModesAndOptions() throws Exception {
        Main.Options exec = Main.Options.parse(new String[] {"--data", "/tmp/x", "exec", "agent:list"}, Map.of());
        assertEquals("exec", exec.mode());
        assertEquals("agent:list", exec.script());
        assertEquals(Path.of("/tmp/x"), exec.data());
        assertEquals("shell", Main.Options.parse(new String[0], Map.of()).mode());
        assertEquals(Path.of("/env"), Main.Options.parse(new String[] {"run"}, Map.of("HARMONIX_DATA", "/env")).data());
        assertEquals(List.of("a", "b"), Main.Options.parse(new String[] {"--features", "a, b"}, Map.of()).features());
    }

    @Test
    void clientModeTakesItsCommandsOrNoneForALineSession() throws Exception {
        Main.Options one = Main.Options.parse(new String[] {"--data", "/tmp/x", "client", "cycle:runs"}, Map.of());
        assertEquals("client", one.mode());
        assertEquals("cycle:runs", one.script());
        assertEquals(Path.of("/tmp/x"), one.data());
        Main.Options lines = Main.Options.parse(new String[] {"client", "--data", "/tmp/y"}, Map.of());
        assertEquals("client", lines.mode());
        assertEquals(null, lines.script(), "an option after client is not its commands");
        assertEquals(Path.of("/tmp/y"), lines.data());
        assertTrue(assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"client", "agent:list", "cycle:runs"}, Map.of())).getMessage()
                .startsWith("client takes one argument: quote the commands"));
    }

    @Test
    void shellAndRunModesTakeCommandsOnTheDataFoldersSocketAndExecDoesNot() throws Exception {
        for (String[] mode : new String[][] {{}, {"run"}}) {
            assertEquals(dir.resolve("d/harmonix.sock").toString(), Main.frameworkProperties(dir, dir.resolve("d"),
                    dir.resolve("l"), Main.Options.parse(mode, Map.of())).get(Main.CLIENT_SOCKET));
        }
        assertEquals(null, Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"),
                Main.Options.parse(new String[] {"exec", "x"}, Map.of())).get(Main.CLIENT_SOCKET));
    }

    @Test
    void aClientWithoutARuntimeSaysWhichFolderAndHowToStartOne() throws Exception {
        ClientMode.NotReached none = assertThrows(ClientMode.NotReached.class, () -> ClientMode.connect(dir));
        assertTrue(none.getMessage().startsWith("no Harmonix runtime holds data folder " + dir + " ("
                + dir.resolve("harmonix.sock") + ": "), none.getMessage());
        assertTrue(none.getMessage().endsWith("); start one with: bin/harmonix --data " + dir + " run"),
                none.getMessage());
        // held by a live process that takes no commands (this test's JVM stands in for an exec)
        Files.writeString(dir.resolve(".lock"), ProcessHandle.current().pid() + "\n");
        assertEquals("data folder " + dir + " is held by the Harmonix runtime pid " + ProcessHandle.current().pid()
                + ", which takes no commands (an exec, or a runtime still starting)",
                assertThrows(ClientMode.NotReached.class, () -> ClientMode.connect(dir)).getMessage());
        assertEquals(2, ClientMode.run(dir.resolve("nothing"), "cycle:runs"));
    }

    @Test
    void aClientOfADataFolderTooDeepForASocketSaysWhichPathTheLimitAndWhatToDo() throws Exception {
        Path deep = dir.resolve("d".repeat(95 - dir.toString().length()));
        Path socket = deep.resolve("harmonix.sock");
        assertEquals("data folder " + deep + " cannot take commands: the command socket's path " + socket + " is "
                + socket.toString().length() + " bytes long, and a Unix domain socket's path may have at most 107 "
                + "bytes: give the runtime a data folder with a path of at most 93 bytes (--data DIR or "
                + "HARMONIX_DATA, the same for the runtime and its clients)",
                assertThrows(ClientMode.NotReached.class, () -> ClientMode.connect(deep)).getMessage());
    }

    @Test
    void badCommandLinesSayWhatWasExpected() {
        assertEquals("exec needs the commands to run, quoted", assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"exec"}, Map.of())).getMessage());
        assertTrue(assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"exec", "agent:list", "cycle:runs"}, Map.of())).getMessage()
                .startsWith("exec takes one argument: quote the commands"));
        assertEquals("unknown argument '--verbose'", assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"--verbose"}, Map.of())).getMessage());
        assertEquals("--data needs a folder", assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"--data"}, Map.of())).getMessage());
    }

    @Test
    void portAndStopWithParentOptions() throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"--stop-with-parent", "--port", "8282", "run"}, Map.of());
        assertEquals(8282, o.port());
        assertTrue(o.stopWithParent());
        assertEquals(false, Main.Options.parse(new String[] {"run"}, Map.of()).stopWithParent());
        assertEquals("8282", Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"), o)
                .get(Main.HTTP_PORT));
        assertEquals("--port '0': expected a port number from 1 to 65535", assertThrows(Main.UsageException.class,
                () -> Main.Options.parse(new String[] {"--port", "0"}, Map.of())).getMessage());
        assertEquals("--port 'http': expected a port number from 1 to 65535", assertThrows(
                Main.UsageException.class, () -> Main.Options.parse(new String[] {"--port", "http"}, Map.of()))
                .getMessage());
    }

    @Test
    void aTakenPortOfTheInstallationIsReplacedByAFreeOneAndATakenPortOfTheCommandLineRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            Map<String, String> props = new HashMap<>(Map.of(Main.HTTP_HOST, "127.0.0.1", Main.HTTP_PORT, port));
            String said = Main.choosePort(props, false);
            String other = props.get(Main.HTTP_PORT);
            assertTrue(!other.equals(port), other);
            // which port, that it is taken, where the runtime is instead and the configuration key to choose one
            assertEquals("port " + port + " of 127.0.0.1 is taken by another process (another Harmonix runtime?): "
                    + "this runtime serves its console, /metrics and ingest on 127.0.0.1:" + other + " instead; give "
                    + "it a port of its own with --port N, or org.osgi.service.http.port in etc/harmonix.properties",
                    said);
            try (ServerSocket s = new ServerSocket(Integer.parseInt(other), 50, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound(), "the port chosen is free");
            }

            Map<String, String> explicit = new HashMap<>(Map.of(Main.HTTP_HOST, "127.0.0.1", Main.HTTP_PORT, port));
            assertEquals("port " + port + " of 127.0.0.1 is taken by another process (another Harmonix runtime?): "
                    + "not started; choose another with --port N", assertThrows(IOException.class,
                            () -> Main.choosePort(explicit, true)).getMessage());
        }
        Map<String, String> free = new HashMap<>(Map.of(Main.HTTP_HOST, "127.0.0.1", Main.HTTP_PORT, "0"));
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            free.put(Main.HTTP_PORT, Integer.toString(s.getLocalPort()));
        }
        String port = free.get(Main.HTTP_PORT);
        assertEquals(null, Main.choosePort(free, true), "a free port is kept");
        assertEquals(port, free.get(Main.HTTP_PORT));
    }

    @Test
    void frameworkPropertiesFillInTheFolders() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/harmonix.properties"),
                "felix.fileinstall.dir = ${harmonix.home}/etc\nx.data = ${harmonix.data}/y\n");
        Main.Options options = Main.Options.parse(new String[] {"exec", "agent:list"}, Map.of());
        Map<String, String> props = Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"), options);
        assertEquals(dir + "/etc", props.get("felix.fileinstall.dir"));
        assertEquals(dir + "/d/y", props.get("x.data"));
        // chosen once the data folder's lock is held (BundleCacheFolder); a setting of the file is kept
        assertEquals(null, props.get("org.osgi.framework.storage"));
        Files.writeString(dir.resolve("etc/harmonix.properties"),
                "org.osgi.framework.storage = ${harmonix.data}/felix\n");
        assertEquals(dir + "/d/felix", Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"), options)
                .get("org.osgi.framework.storage"));
        assertEquals("agent:list", props.get("harmonix.exec"));
        assertEquals("--nointeractive --noshutdown", props.get("gosh.args"));
        assertEquals(null, props.get(Main.CONSOLE));
    }

    @Test
    void shellModeRunsHarmonixsConsoleAndGoshWithoutOne() throws Exception {
        Map<String, String> shell = Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"),
                Main.Options.parse(new String[0], Map.of()));
        assertEquals("true", shell.get(Main.CONSOLE));
        assertEquals("--nointeractive --noshutdown", shell.get("gosh.args"));
        Map<String, String> run = Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"),
                Main.Options.parse(new String[] {"run"}, Map.of()));
        assertEquals(null, run.get(Main.CONSOLE));
    }

    @Test
    void featuresAreReadWithTheirStartOrderAndMalformedOnesNamed() throws Exception {
        Path f = dir.resolve("core.json");
        Files.writeString(f, """
                {"id": "g:core:1", "bundles": [{"id": "org.x:a:1.0", "start-order": 2}, {"id": "org.x:b:2"}]}""");
        Feature feature = Feature.read(f);
        assertEquals("core", feature.name());
        assertEquals(List.of(new Feature.BundleRef("org.x", "a", "1.0", 2), new Feature.BundleRef("org.x", "b", "2", 1)),
                feature.bundles());
        assertEquals("org/x/a/1.0/a-1.0.jar", feature.bundles().get(0).repositoryPath());

        Files.writeString(f, "{\"id\": \"g:core:1\", \"bundles\": [{\"id\": \"org.x:a\"}]}");
        IOException bad = assertThrows(IOException.class, () -> Feature.read(f));
        assertEquals(f + ": bundles[0].id = 'org.x:a': expected \"group:artifact:version\"", bad.getMessage());
        Files.writeString(f, "{\"id\": \"g:core:1\", \"bundles\": [{\"id\": \"o:a:1\", \"start-order\": 0}]}");
        assertTrue(assertThrows(IOException.class, () -> Feature.read(f)).getMessage()
                .endsWith("bundles[0].start-order = 0: expected a whole number of at least 1"));
        Files.writeString(f, "{\"id\": \"g:core:1\", \"bundles\": [{\"id\": \"o:a:1\", \"start-order\": 1.5}]}");
        assertTrue(assertThrows(IOException.class, () -> Feature.read(f)).getMessage()
                .endsWith("bundles[0].start-order = 1.5: expected a whole number of at least 1"));
        Files.writeString(f, "{\"bundles\": [\"o:a:1\"]}");
        assertEquals(f + ": field 'id' is missing (expected \"group:artifact:version\")",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
    }

    @Test
    void execModeBootsNeitherJettyNorWhatOnlyFeaturesServingHttpList() throws Exception {
        Path f = dir.resolve("metrics.json");
        Feature.BundleRef a = new Feature.BundleRef("org.x", "a", "1", 1);
        Feature.BundleRef shared = new Feature.BundleRef("org.x", "shared", "1", 1);
        Feature.BundleRef m = new Feature.BundleRef("org.x", "m", "1", 2);
        Feature.BundleRef c = new Feature.BundleRef("org.x", "c", "1", 3);
        Feature.BundleRef jetty = new Feature.BundleRef("org.apache.felix", "org.apache.felix.http.jetty12", "1", 4);
        Files.writeString(f, """
                {"id": "g:metrics:1", "harmonix:http-only": true,
                 "bundles": ["org.x:shared:1", {"id": "org.x:m:1", "start-order": 2},
                             {"id": "org.apache.felix:org.apache.felix.http.jetty12:1", "start-order": 4}]}""");
        Feature metrics = Feature.read(f);
        assertTrue(metrics.httpOnly());
        Feature core = new Feature("g:core:1", List.of(a, shared, jetty), false);
        Feature console = new Feature("g:console:1", List.of(c, jetty), true);

        assertEquals(List.of(a, shared), List.copyOf(Main.bundlesToBoot(List.of(core, metrics, console), false)
                .keySet()), "exec mode: the bundles of the other features only, and no Jetty");
        var serving = Main.bundlesToBoot(List.of(core, metrics, console), true);
        assertEquals(List.of(a, shared, jetty, m, c), List.copyOf(serving.keySet()), "each once, in order");
        assertEquals(core, serving.get(shared), "with the first feature that lists it");
        Feature later = new Feature("g:later:1", List.of(new Feature.BundleRef("org.x", "a", "1", 5)), false);
        assertEquals(List.of(a), List.copyOf(Main.bundlesToBoot(List.of(core, later), true).keySet()).subList(0, 1),
                "one bundle listed twice at two start orders: installed once, at the first");
        assertEquals(3, Main.bundlesToBoot(List.of(core, later), true).size());

        assertFalse(Main.serving("exec", false), "exec mode serves nothing");
        assertTrue(Main.serving("exec", true), "but bin/harmonix cds's training start boots every feature");
        assertTrue(Main.serving("run", false));
        assertTrue(Main.serving("shell", false));

        Files.writeString(f, "{\"id\": \"g:m:1\", \"harmonix:http-only\": \"yes\", \"bundles\": []}");
        assertEquals(f + ": field 'harmonix:http-only' = yes: expected true or false",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        Files.writeString(f, "{\"id\": \"g:m:1\", \"bundles\": [\"o:a:1\"]}");
        assertFalse(Feature.read(f).httpOnly(), "absent: false");
    }

    @Test
    void aFeatureFileThatIsNotJsonIsRefusedWithTheLineAndColumn() throws Exception {
        Path f = dir.resolve("core.json");
        Files.writeString(f, "{\"id\": \"g:core:1\",\n  \"bundles\": [\"o:a:1\" \"o:b:1\"]}");
        assertEquals(f + ": not a feature file: line 2, column 23: expected ']', found '\"'",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        Files.writeString(f, "{\"id\": \"g:core:1\"} x");
        assertEquals(f + ": not a feature file: line 1, column 20: expected the end of the text after the value",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        Files.writeString(f, "{\"id\": \"g:\\u0063ore:1\", "
                + "\"bundles\": [\"o:a:1\", {\"id\": \"o:b:2\", \"x\": [true, null, -1e3]}]}");
        Feature feature = Feature.read(f);
        assertEquals("g:core:1", feature.id(), "escapes read");
        assertEquals(List.of(new Feature.BundleRef("o", "a", "1", 1), new Feature.BundleRef("o", "b", "2", 1)),
                feature.bundles());
    }

    @Test
    void hostileFeatureFilesAreRefusedSayingWhereAndABomIsSkipped() throws Exception {
        Path f = dir.resolve("core.json");
        Files.writeString(f, "{\"id\": \"g:core:1\", \"x\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        assertEquals(f + ": not a feature file: line 1, column " + (24 + Json.MAX_DEPTH) + ": expected at most "
                + Json.MAX_DEPTH + " nested objects and arrays",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage(), "no StackOverflowError");
        Files.writeString(f, "{\"id\": \"g:\\u+063ore:1\"}");
        assertEquals(f + ": not a feature file: line 1, column 13: expected four hexadecimal digits after \\u",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        for (String number : List.of("0123", "1.", "-.5", "+1")) {
            Files.writeString(f, "{\"id\": \"g:core:1\", \"x\": " + number + "}");
            assertTrue(assertThrows(IOException.class, () -> Feature.read(f)).getMessage().startsWith(f
                    + ": not a feature file: line 1, column 25: expected "), number);
        }
        Files.writeString(f, "{\"id\": \"g:core:1\", \"x\": 1e999}");
        assertEquals(f + ": not a feature file: line 1, column 25: expected a number within a double's range, found "
                + "'1e999'", assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        Files.write(f, new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '"', '}'});
        assertEquals(f + ": not a feature file: not UTF-8 text",
                assertThrows(IOException.class, () -> Feature.read(f)).getMessage());
        Files.writeString(f, "\uFEFF{\"id\": \"g:core:1\", \"bundles\": [\"o:a:1\"]}");
        assertEquals("g:core:1", Feature.read(f).id(), "a byte order mark before the text is skipped");
    }

    @Test
    void everyShippedFeatureFileIsRead() throws Exception {
        Path features = Path.of("").toAbsolutePath().resolve("../features").normalize();
        try (var files = Files.list(features)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(all.size() >= 10, all.toString());
            for (Path file : all) {
                Feature feature = Feature.read(file);
                assertEquals(file.getFileName().toString().replace(".json", ""), feature.name());
                assertTrue(!feature.bundles().isEmpty(), file.toString());
                // only the metrics and the web console serve HTTP and nothing else (exec mode leaves them out)
                assertEquals(Set.of("harmonix-metrics", "harmonix-console").contains(feature.name()),
                        feature.httpOnly(), file.toString());
            }
        }
    }

    @Test
    void theAssemblerNamesABundleAFeatureListsButTheBuildLacks() throws Exception {
        Path features = Files.createDirectories(dir.resolve("features"));
        Files.writeString(features.resolve("f.json"), "{\"id\": \"g:f:1\", \"bundles\": [{\"id\": \"org.x:a:1\"}]}");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path skeleton = Files.createDirectories(dir.resolve("skel/bin"));
        Files.writeString(skeleton.resolve("harmonix"), "#!/bin/sh\n");
        Path launcher = Files.writeString(dir.resolve("launcher.jar"), "jar");
        IOException e = assertThrows(IOException.class, () -> DistributionAssembler.assemble(features, repo,
                dir.resolve("skel"), launcher, dir.resolve("out")));
        assertTrue(e.getMessage().contains("f lists org.x:a:1"), e.getMessage());

        Files.createDirectories(repo.resolve("org/x/a/1"));
        Files.writeString(repo.resolve("org/x/a/1/a-1.jar"), "bundle");
        DistributionAssembler.assemble(features, repo, dir.resolve("skel"), launcher, dir.resolve("out"));
        assertTrue(Files.exists(dir.resolve("out/system/org/x/a/1/a-1.jar")));
        assertTrue(Files.exists(dir.resolve("out/system/features/f.json")));
        assertTrue(Files.isExecutable(dir.resolve("out/bin/harmonix")));
    }
}
