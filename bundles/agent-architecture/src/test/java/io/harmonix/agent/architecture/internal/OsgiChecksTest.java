package io.harmonix.agent.architecture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.harmonix.cycle.api.AgentResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OSGi checks on built manifests (72-byte lines, continued with a space) and a bnd.bnd. */
class OsgiChecksTest {
    private static final String MANIFEST = "alpha/target/classes/META-INF/MANIFEST.MF";

    @TempDir
    Path dir;
    private ModularFixture fixture;

    @BeforeEach
    void build() throws Exception {
        fixture = new ModularFixture(dir);
        fixture.write(".gitignore", "target/\n");
        fixture.write(MANIFEST, "Manifest-Version: 1.0\r\n"
                + "Bundle-SymbolicName: alpha\r\n"
                + "Export-Package: com.example.alpha.api;version=\"1.0.0\",com.example.alph\r\n"
                + " a.spi\r\n"
                + "Import-Package: com.example.beta.names;version=\"[1.0,2)\",org.slf4j;ver\r\n"
                + " sion=\"1.7\",javax.annotation,java.util,javax.xml.parsers,org.w3c.do\r\n"
                + " m\r\n"
                + "\r\n");
        fixture.write("beta/bnd.bnd", "# beta's names are its API\nExport-Package: \\\n  com.example.beta.names\n");
        fixture.commit("manifest and bnd.bnd");
    }

    @Test
    void importsWithoutARangeAreFoundAtTheirLineInTheManifestExceptTheJdksPackages() throws Exception {
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        assertEquals(List.of(MANIFEST + ":5 alpha imports org.slf4j from version 1.7 on, without an upper bound",
                MANIFEST + ":6 alpha imports javax.annotation without a version"),
                Agents.ofRule(result, "unranged-import").stream().map(f -> f.finding().location() + " "
                        + f.finding().message()).toList());
    }

    @Test
    void exportsWithoutAVersionAreFoundOnceEachInBndAndPackageInfo() throws Exception {
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        assertEquals(List.of("alpha/src/main/java/com/example/alpha/spi/package-info.java:1",
                "beta/bnd.bnd:3"), Agents.ofRule(result, "unversioned-export").stream()
                .map(f -> f.finding().location().toString()).sorted().toList(),
                "the manifest's unversioned spi export is the package-info's: reported there only");
    }

    @Test
    void aPackageTheOtherBundleExportsIsNoPrivateImport() throws Exception {
        AgentResult result = Agents.step(Agents.agent(Map.of()), fixture.root, null, 1);

        assertEquals(List.of(ModularFixture.MAIN + ":4"), Agents.ofRule(result, "private-import").stream()
                .map(f -> f.finding().location().toString()).toList(), "beta exports names now; alpha.internal "
                + "is still private");
    }
}
