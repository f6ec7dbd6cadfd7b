package io.harmonix.workflow.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Says why a jar dropped into {@code deploy/} is not installed. FileInstall installs a jar whose manifest names a
 * {@code Bundle-SymbolicName}; any other jar (corrupt, not a zip, no manifest, a plain library) no installer of its
 * own takes, and FileInstall passes it over without a word. This installer takes exactly those jars, and installs
 * nothing: it logs the file and the reason, once per change of the file.
 *
 * <p>Why here: the workflow bundle is the one of the runtime that already plugs into FileInstall for
 * {@code deploy/} ({@link WorkflowDeployer}); the launcher only configures FileInstall.
 */
@Component(service = ArtifactInstaller.class)
public class DeployedJarCheck implements ArtifactInstaller {
    @Reference(service = LoggerFactory.class)
    private Logger log;

    private Path deployDir;

    @Activate
    void activate(BundleContext context) {
        String home = context.getProperty("harmonix.home");
        deployDir = Path.of(home == null ? "." : home).resolve("deploy").toAbsolutePath().normalize();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar")
                && deployDir.equals(artifact.toPath().toAbsolutePath().normalize().getParent())
                && whyNotABundle(artifact).isPresent();
    }

    /** @return why the file is not a bundle FileInstall installs, or empty when it is one */
    static Optional<String> whyNotABundle(File jar) {
        try (JarFile j = new JarFile(jar)) {
            Manifest m = j.getManifest();
            if (m == null) {
                return Optional.of("a jar without META-INF/MANIFEST.MF: not an OSGi bundle");
            }
            if (m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return Optional.of("its manifest has no Bundle-SymbolicName: a plain jar, not an OSGi bundle");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("not a readable jar (" + (e.getMessage() == null ? e.toString() : e.getMessage())
                    + ")");
        }
    }

    @Override
    public void install(File artifact) {
        log.error("{} not installed: {}", artifact, whyNotABundle(artifact).orElse("it became a bundle meanwhile"));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        // nothing was installed
    }
}
