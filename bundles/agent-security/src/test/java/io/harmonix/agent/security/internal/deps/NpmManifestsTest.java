package io.harmonix.agent.security.internal.deps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmManifestsTest {
    static final String LOCK = """
            {
              "name": "web",
              "version": "1.0.0",
              "lockfileVersion": 3,
              "requires": true,
              "packages": {
                "": {
                  "name": "web",
                  "dependencies": { "lodash": "^4.17.15", "minimist": "1.2.6" }
                },
                "node_modules/lodash": {
                  "version": "4.17.15",
                  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz"
                },
                "node_modules/minimist": {
                  "version": "1.2.6"
                },
                "node_modules/mkdirp/node_modules/minimist": {
                  "version": "0.0.8"
                }
              }
            }
            """;

    @Test
    void aLockfileGivesTheInstalledVersionsNestedOnesToo(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("package-lock.json"), LOCK);
        List<Dependency> deps = NpmManifests.dependencies(root, "package-lock.json");
        assertEquals(3, deps.size());
        assertEquals(new Dependency("npm", "lodash", "4.17.15", "package-lock.json", "package-lock.json", 11),
                deps.get(0));
        assertEquals("1.2.6", deps.get(1).version());
        assertEquals("minimist", deps.get(2).name());
        assertEquals("0.0.8", deps.get(2).version());
        assertEquals(18, deps.get(2).line());
    }

    @Test
    void aLockfileOfTwentyThousandPackagesGivesEachItsLine(@TempDir Path root) throws IOException {
        int n = 20_000;
        StringBuilder lock = new StringBuilder("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
        for (int i = 0; i < n; i++) {
            // entry i's key is on line 4 + 3 i
            lock.append("    \"node_modules/p").append(i).append("\": {\n      \"version\": \"1.0.").append(i)
                    .append("\"\n    }").append(i + 1 < n ? ",\n" : "\n");
        }
        Files.writeString(root.resolve("package-lock.json"), lock.append("  }\n}\n"));
        List<Dependency> deps = NpmManifests.dependencies(root, "package-lock.json");

        assertEquals(n, deps.size());
        for (int i : new int[] {0, n / 2, n - 1}) {
            assertEquals("p" + i, deps.get(i).name());
            assertEquals("1.0." + i, deps.get(i).version());
            assertEquals(4 + 3 * i, deps.get(i).line(), "p" + i);
        }
    }

    @Test
    void aPackageJsonAloneIsCheckedAtTheLowestVersionItsRangeAllows(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("package.json"), """
                {
                  "name": "web",
                  "dependencies": {
                    "lodash": "^4.17.15",
                    "minimist": ">1.2.5 <2",
                    "left-pad": "latest",
                    "local": "file:../local"
                  }
                }
                """);
        List<Dependency> deps = NpmManifests.dependencies(root, "package.json");
        assertEquals("4.17.15", deps.get(0).version());
        assertEquals(4, deps.get(0).line());
        assertTrue(deps.get(0).origin().startsWith("lowest version range '^4.17.15' allows"));
        assertEquals("1.2.6", deps.get(1).version(), "just past an exclusive bound");
        assertNull(deps.get(2).version());
        assertNull(deps.get(3).version());
        assertTrue(deps.get(3).origin().contains("'file:../local'"), deps.get(3).origin());
    }

    @Test
    void rangesOfEachForm() {
        assertEquals("1.2.3", NpmManifests.lowest("~1.2.3"));
        assertEquals("0.0.0", NpmManifests.lowest("*"));
        assertEquals("1.0.0", NpmManifests.lowest("1.x"));
        assertEquals("2.0.0", NpmManifests.lowest(">=3.0.0 || >=2.0.0 <2.5.0"),
                "the lowest of alternatives is the lowest of all");
        assertEquals(null, NpmManifests.lowest("next"), "a dist-tag names no version");
        assertEquals("1.2.0", NpmManifests.lowest("1.2.0 - 1.4.0"));
    }

    @Test
    void badJsonNamesTheFileAndPosition(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("package-lock.json"), "{\n  \"packages\": {,}\n}");
        IOException e = assertThrows(IOException.class, () -> NpmManifests.dependencies(root,
                "package-lock.json"));
        assertTrue(e.getMessage().startsWith("package-lock.json: not JSON at line 2, column"), e.getMessage());
    }

    @Test
    void theTextAParserQuotesIsLeftOutOfItsMessage(@TempDir Path root) throws IOException {
        String token = io.harmonix.agent.security.internal.Secrets.GITHUB_TOKEN;
        Files.writeString(root.resolve("package-lock.json"), "{\"packages\": " + token + "}");
        IOException e = assertThrows(IOException.class, () -> NpmManifests.dependencies(root,
                "package-lock.json"));
        assertTrue(e.getMessage().contains("Unrecognized token '…'"), e.getMessage());
        assertTrue(!e.getMessage().contains(token.substring(0, 10)), e.getMessage());
    }
}
