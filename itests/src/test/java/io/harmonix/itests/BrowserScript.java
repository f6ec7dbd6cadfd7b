package io.harmonix.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The console's browser script ({@code itests/src/test/browser}) run by node with playwright-core at the version
 * pinned in its {@code package-lock.json}, installed with {@code npm ci} into
 * {@code ~/.cache/harmonix/playwright-core-<version>} on first use (as the SARIF multitool is), driving Debian's
 * {@code /usr/bin/chromium}: no browser is downloaded. Without node, npm or chromium the test fails saying what to
 * install ({@code .ci/run} installs them): a browser test that skips would prove nothing.
 */
final class BrowserScript {
    static final String VERSION = "1.65.1";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DIR = Path.of(System.getProperty("harmonix.browser.dir", "src/test/browser"));

    private BrowserScript() {
    }

    /** Runs {@code node SCRIPT} with the given environment; fails the test with its output unless it exits 0. */
    static String run(String script, Map<String, String> env, long minutes) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the console's browser tests need Debian's chromium package "
                    + "(apt-get install chromium; .ci/run installs it)");
        }
        Path modules = install().resolve("node_modules");
        ProcessBuilder b = new ProcessBuilder("node", DIR.resolve(script).toString()).directory(DIR.toFile())
                .redirectErrorStream(true);
        b.environment().putAll(env);
        b.environment().put("NODE_PATH", modules.toString());
        b.environment().put("CHROMIUM", CHROMIUM.toString());
        return exec(b, minutes);
    }

    /** @return the folder holding node_modules/playwright-core, installing it first when it is not there */
    static synchronized Path install() throws Exception {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "harmonix", "playwright-core-" + VERSION);
        Path lock = home.resolve("package-lock.json");
        if (Files.isRegularFile(home.resolve("node_modules/playwright-core/package.json"))
                && Files.isRegularFile(lock) && Files.mismatch(lock, DIR.resolve("package-lock.json")) == -1) {
            return home;
        }
        Files.createDirectories(home);
        Files.copy(DIR.resolve("package.json"), home.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(DIR.resolve("package-lock.json"), lock, StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder b = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(home.toFile())
                .redirectErrorStream(true);
        b.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"); // Debian's chromium is the browser
        exec(b, 10);
        if (!Files.isRegularFile(home.resolve("node_modules/playwright-core/package.json"))) {
            fail("npm ci in " + home + " did not install playwright-core");
        }
        return home;
    }

    private static String exec(ProcessBuilder b, long minutes) throws Exception {
        Process p;
        try {
            p = b.start();
        } catch (IOException e) {
            return fail(b.command().get(0) + " cannot be run (" + e.getMessage() + "): the console's browser "
                    + "tests need node and npm (Debian: apt-get install nodejs npm; .ci/run installs them)");
        }
        p.getOutputStream().close();
        PackagedRuntime.Output out = new PackagedRuntime.Output(p.getInputStream());
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", b.command()) + " took more than " + minutes + " minutes:\n" + out.text());
        }
        String text = out.rest();
        if (p.exitValue() != 0) {
            fail(String.join(" ", b.command()) + " exited with " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
