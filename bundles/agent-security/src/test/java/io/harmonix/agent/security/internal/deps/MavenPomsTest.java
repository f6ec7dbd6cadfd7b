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

class MavenPomsTest {
    static final String PARENT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project>
              <modelVersion>4.0.0</modelVersion>
              <groupId>org.example</groupId>
              <artifactId>parent</artifactId>
              <version>1.0</version>
              <packaging>pom</packaging>
              <properties>
                <log4j.version>2.14.1</log4j.version>
                <text.version>1.9</text.version>
              </properties>
              <dependencyManagement>
                <dependencies>
                  <dependency>
                    <groupId>org.apache.commons</groupId>
                    <artifactId>commons-text</artifactId>
                    <version>${text.version}</version>
                  </dependency>
                  <dependency>
                    <groupId>org.junit</groupId><artifactId>junit-bom</artifactId><version>6.1.3</version>
                    <type>pom</type><scope>import</scope>
                  </dependency>
                </dependencies>
              </dependencyManagement>
            </project>
            """;
    static final String CHILD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project>
              <modelVersion>4.0.0</modelVersion>
              <parent>
                <groupId>org.example</groupId>
                <artifactId>parent</artifactId>
                <version>1.0</version>
              </parent>
              <artifactId>child</artifactId>
              <dependencies>
                <dependency>
                  <groupId>org.apache.logging.log4j</groupId>
                  <artifactId>log4j-core</artifactId>
                  <version>${log4j.version}</version>
                </dependency>
                <dependency>
                  <groupId>org.apache.commons</groupId>
                  <artifactId>commons-text</artifactId>
                </dependency>
                <dependency>
                  <groupId>com.fasterxml.jackson.core</groupId>
                  <artifactId>jackson-databind</artifactId>
                  <version>2.13.1</version>
                </dependency>
                <dependency>
                  <groupId>org.example</groupId>
                  <artifactId>sibling</artifactId>
                  <version>${project.version}</version>
                </dependency>
                <dependency>
                  <groupId>org.example</groupId>
                  <artifactId>elsewhere</artifactId>
                  <version>${outside.version}</version>
                </dependency>
                <dependency>
                  <groupId>org.example</groupId>
                  <artifactId>bom-managed</artifactId>
                </dependency>
              </dependencies>
            </project>
            """;

    @Test
    void versionsComeFromThePomItsPropertiesAndItsParentsManagement(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("pom.xml"), PARENT);
        Files.createDirectories(root.resolve("child"));
        Files.writeString(root.resolve("child/pom.xml"), CHILD);
        List<Dependency> deps = new MavenPoms(root).dependencies("child/pom.xml");
        assertEquals(6, deps.size());
        Dependency log4j = deps.get(0);
        assertEquals("org.apache.logging.log4j:log4j-core", log4j.name());
        assertEquals("2.14.1", log4j.version());
        assertEquals(11, log4j.line(), "the line of <dependency>");
        assertTrue(log4j.origin().contains("property log4j.version"), log4j.origin());
        Dependency text = deps.get(1);
        assertEquals("1.9", text.version());
        assertEquals("dependencyManagement of pom.xml, property text.version", text.origin());
        assertEquals("2.13.1", deps.get(2).version());
        assertEquals("1.0", deps.get(3).version(), "${project.version} is the parent's version");
        assertNull(deps.get(4).version());
        assertTrue(deps.get(4).origin().contains("${outside.version}"), deps.get(4).origin());
        assertNull(deps.get(5).version());
        assertTrue(deps.get(5).origin().endsWith("no dependencyManagement in this pom or its parents inside the "
                + "target manages it; the imported BOM org.junit:junit-bom:6.1.3 may (its versions are not read)"),
                deps.get(5).origin());
    }

    @Test
    void aParentOutsideTheTargetIsNotReadAndWhatItWouldDecideIsUnresolved(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pom.xml"), PARENT);
        Path root = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(root.resolve("pom.xml"), CHILD.replace("<version>1.0</version>\n  </parent>",
                "<version>1.0</version>\n  </parent>"));
        List<Dependency> deps = new MavenPoms(root).dependencies("pom.xml");
        assertNull(deps.get(0).version(), "log4j.version is defined by a parent outside the target");
        assertNull(deps.get(1).version());
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverExpanded(@TempDir Path root) throws IOException {
        Path secret = Files.writeString(root.resolve("secret.txt"), "s3cr3t");
        Files.writeString(root.resolve("pom.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>\n<project><dependencies><dependency><groupId>g</groupId>"
                + "<artifactId>&x;</artifactId><version>1</version></dependency></dependencies></project>");
        IOException e = assertThrows(IOException.class, () -> new MavenPoms(root).dependencies("pom.xml"));
        assertTrue(e.getMessage().startsWith("pom.xml: not a well-formed pom:"), e.getMessage());
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void aVersionRangeIsNotChecked(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("pom.xml"), "<project><dependencies><dependency><groupId>g</groupId>"
                + "<artifactId>a</artifactId><version>[1.0,2.0)</version></dependency></dependencies></project>");
        Dependency d = new MavenPoms(root).dependencies("pom.xml").get(0);
        assertNull(d.version());
        assertTrue(d.origin().startsWith("version range [1.0,2.0)"), d.origin());
    }
}
