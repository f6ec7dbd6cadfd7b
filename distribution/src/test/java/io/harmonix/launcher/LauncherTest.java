package io.harmonix.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void frameworkPropertiesFillInTheFolders() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/harmonix.properties"),
                "felix.fileinstall.dir = ${harmonix.home}/etc\nx.data = ${harmonix.data}/y\n");
        Main.Options options = Main.Options.parse(new String[] {"exec", "agent:list"}, Map.of());
        Map<String, String> props = Main.frameworkProperties(dir, dir.resolve("d"), dir.resolve("l"), options);
        assertEquals(dir + "/etc", props.get("felix.fileinstall.dir"));
        assertEquals(dir + "/d/y", props.get("x.data"));
        assertEquals(dir.resolve("d/cache").toString(), props.get("org.osgi.framework.storage"));
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
