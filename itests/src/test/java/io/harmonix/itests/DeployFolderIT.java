package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/ of the packaged runtime does with files it cannot use: a 20 MB definition is refused unread (and
 * holds up nothing: a good definition dropped after it deploys promptly); a corrupt jar and a jar that is not a
 * bundle are logged with why.
 */
class DeployFolderIT {
    @TempDir
    Path dir;

    @Test
    void anOversizedDefinitionIsRefusedABadJarIsLoggedAndAGoodDefinitionDeploysPromptly() throws Exception {
        PackagedRuntime runtime = PackagedRuntime.copyInto(dir);
        Process shell = runtime.start(dir, "shell");
        PackagedRuntime.Output out = new PackagedRuntime.Output(shell.getInputStream());
        new PackagedRuntime.Output(shell.getErrorStream());
        try {
            out.await("Welcome to Apache Felix Gogo");
            Path deploy = runtime.home.resolve("deploy");
            // a definition of 20 MB: 200 000 tasks
            StringBuilder big = new StringBuilder("name: big\nversion: 1\ntasks:\n");
            for (int i = 0; big.length() < 20_000_000; i++) {
                big.append("  t").append(i).append(": {component: core, action: noop, input: {x: ").append(i)
                        .append(", pad: \"").append("p".repeat(40)).append("\"}}\n");
            }
            drop(deploy, "big.yaml", big.toString().getBytes(StandardCharsets.UTF_8));
            drop(deploy, "corrupt.jar", "PK\u0003\u0004 this is no zip".getBytes(StandardCharsets.UTF_8));
            drop(deploy, "plain.jar", plainJar());
            drop(deploy, "good.yaml", ("name: good\nversion: 1\ntasks:\n  a: {component: core, action: noop, "
                    + "input: {x: 1}}\n").getBytes(StandardCharsets.UTF_8));

            Path logFile = runtime.home.resolve("log/harmonix.log");
            List<String> expected = List.of(
                    "workflow good 1 deployed from " + deploy.resolve("good.yaml"),
                    "workflow file " + deploy.resolve("big.yaml") + " not deployed: ",
                    "bytes, more than the limit of 1048576 bytes (io.harmonix.workflow.deploy maxFileSize)",
                    deploy.resolve("corrupt.jar") + " not installed: not a readable jar",
                    deploy.resolve("plain.jar") + " not installed: its manifest has no Bundle-SymbolicName");
            // liveness bound: the deployer used to be busy minutes with the big file before anything else
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String log = "";
            while (System.nanoTime() < end && !expected.stream().allMatch(log::contains)) {
                Thread.sleep(100); // polls the log for a condition, not for a guessed time
                log = Files.exists(logFile) ? Files.readString(logFile) : "";
            }
            for (String e : expected) {
                assertTrue(log.contains(e), "no '" + e + "' in the log:\n" + log);
            }
        } finally {
            shell.destroyForcibly();
            shell.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Writes a file beside deploy/, then moves it in: FileInstall sees it whole. */
    private void drop(Path deploy, String name, byte[] content) throws IOException {
        Path staging = Files.write(dir.resolve(name), content);
        Files.move(staging, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A valid jar with a manifest but no Bundle-SymbolicName: a library, not a bundle. */
    private static byte[] plainJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream jar = new JarOutputStream(bytes, m)) {
            jar.flush();
        }
        return bytes.toByteArray();
    }
}
