package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Hot deploy of workflows: FileInstall hands over {@code *.yaml}/{@code *.yml} files of {@code deploy/}. A valid
 * file is deployed; an invalid one is logged with every problem and nothing is deployed (a previous version of it
 * stays). A removed file withdraws its definition; instances already running on it finish.
 */
@Component(service = ArtifactInstaller.class)
public class WorkflowDeployer implements ArtifactInstaller {
    @Reference
    private WorkflowService workflows;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private Path deployDir;
    private final Map<File, String[]> deployed = new ConcurrentHashMap<>();

    @Activate
    void activate(BundleContext context) {
        String home = context.getProperty("harmonix.home");
        deployDir = Path.of(home == null ? "." : home).resolve("deploy").toAbsolutePath().normalize();
    }

    @Override
    public boolean canHandle(File artifact) {
        String name = artifact.getName();
        return (name.endsWith(".yaml") || name.endsWith(".yml"))
                && artifact.toPath().toAbsolutePath().normalize().getParent().equals(deployDir);
    }

    @Override
    public void install(File artifact) throws IOException {
        String text = Files.readString(artifact.toPath(), StandardCharsets.UTF_8);
        try {
            DefinitionInfo d = workflows.deploy(artifact.getPath(), text);
            String[] before = deployed.put(artifact, new String[] {d.name(), d.version()});
            if (before != null && !(before[0].equals(d.name()) && before[1].equals(d.version()))) {
                workflows.withdraw(before[0], before[1]); // the file now holds another name or version
            }
            log.info("workflow {} {} deployed from {}", d.name(), d.version(), artifact);
        } catch (WorkflowValidationException e) {
            log.error("workflow file {} not deployed: {}", artifact, e.getMessage());
        }
    }

    @Override
    public void update(File artifact) throws IOException {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        String[] d = deployed.remove(artifact);
        if (d != null && workflows.withdraw(d[0], d[1])) {
            log.info("workflow {} {} withdrawn: {} was removed", d[0], d[1], artifact);
        }
    }
}
