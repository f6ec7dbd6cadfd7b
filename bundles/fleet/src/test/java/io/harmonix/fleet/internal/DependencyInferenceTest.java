package io.harmonix.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harmonix.fleet.api.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dependencies between real repositories from their pom.xml and package.json files, merged with declared ones. */
class DependencyInferenceTest extends FleetUnderOneRoot {
    private List<String> inferred(String name) {
        return fleet.engine.repository(name).orElseThrow().inferredDependencies();
    }

    @Test
    void mavenCoordinatesOfModulesAndParentsLinkRepositories() throws Exception {
        fleet.git.workingTree(root.resolve("core"), "pom.xml", """
                <project><groupId>org.acme</groupId><artifactId>core-parent</artifactId>
                <modules><module>core-api</module></modules></project>""",
                "core-api/pom.xml", """
                <project><parent><groupId>org.acme</groupId><artifactId>core-parent</artifactId></parent>
                <artifactId>core-api</artifactId></project>""");
        fleet.git.workingTree(root.resolve("service"), "pom.xml", GitRepos.pom("org.acme", "service",
                "org.acme:core-api", "org.slf4j:slf4j-api"));
        fleet.git.bare(root.resolve("platform.git"), "pom.xml", """
                <project><parent><groupId>org.acme</groupId><artifactId>core-parent</artifactId></parent>
                <artifactId>platform</artifactId><dependencyManagement><dependencies><dependency>
                <groupId>${project.groupId}</groupId><artifactId>service</artifactId></dependency>
                </dependencies></dependencyManagement></project>""");
        fleet.engine.discover();
        assertEquals(List.of("core"), inferred("service"), "through a module's coordinates; slf4j is no repository");
        assertEquals(List.of("core", "service"), inferred("platform"), "parent, and ${project.groupId}");
        assertEquals(List.of(), inferred("core"), "its own module is no dependency");
    }

    @Test
    void aPomWithADoctypeIsNotReadSoNoEntityIsEverExpanded() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "org.acme");
        fleet.git.workingTree(root.resolve("core"), "pom.xml", GitRepos.pom("org.acme", "core"));
        fleet.git.workingTree(root.resolve("evil"), "pom.xml", "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x "
                + "SYSTEM \"file://" + secret + "\">]><project><groupId>e</groupId><artifactId>e</artifactId>"
                + "<dependencies><dependency><groupId>&x;</groupId><artifactId>core</artifactId></dependency>"
                + "</dependencies></project>");
        fleet.engine.discover();
        assertEquals(List.of(), inferred("evil"));
        assertTrue(Poms.parse(Files.readString(root.resolve("evil/pom.xml"))).isEmpty());
    }

    @Test
    void npmNamesFileDependenciesAndWorkspacesLinkRepositories() throws Exception {
        fleet.git.workingTree(root.resolve("ui-kit"), "package.json", """
                {"name": "@acme/kit-root", "private": true, "workspaces": ["packages/*"]}""",
                "packages/buttons/package.json", "{\"name\": \"@acme/buttons\"}");
        fleet.git.workingTree(root.resolve("utils"), "package.json", "{\"name\": \"acme-utils\"}");
        fleet.git.workingTree(root.resolve("web"), "package.json", """
                {"name": "web", "dependencies": {"@acme/buttons": "^1.0.0", "left-pad": "1.0.0"},
                 "devDependencies": {"whatever": "file:../utils"}}""");
        fleet.manifest("{\"repositories\": [{\"name\": \"web\", \"path\": \"repos/web\", \"dependencies\": "
                + "[\"ui-kit\", \"utils\"]}]}");
        fleet.engine.discover();
        Repository web = fleet.engine.repository("web").orElseThrow();
        assertEquals(List.of("ui-kit", "utils"), web.inferredDependencies(), "a workspace package and a file: path");
        assertEquals(List.of("ui-kit", "utils"), web.declaredDependencies());
        assertEquals(List.of("ui-kit", "utils"), web.dependencies(), "merged, each once");
    }
}
