package io.harmonix.workflow.internal;

import io.harmonix.workflow.api.DefinitionInfo;
import io.harmonix.workflow.api.WorkflowService;
import io.harmonix.workflow.api.WorkflowValidationException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Hot deploy of workflows: FileInstall hands over {@code *.yaml}/{@code *.yml} files of {@code deploy/}. A valid
 * file is deployed; an invalid one is logged with every problem and nothing is deployed (a previous version of it
 * stays). A removed file withdraws its definition; instances already running on it finish.
 *
 * <p>A file larger than {@code maxFileSize} is refused before it is read (logged once, with the file, its size and
 * the limit): one huge file kept the deployer busy for minutes. Files are read and deployed on threads of this
 * component, not FileInstall's: a slow file never holds up the others (nor FileInstall's bundles and configurations);
 * the changes of one file are applied in the order they came.
 *
 * <p>FileInstall hands a file to an installer once: when this component restarts (its bundle updated, its
 * reference rebound) the files already in {@code deploy/} are not handed again until they change, so what a file
 * deployed is found by the source the workflow service keeps with each definition (a removal after a restart
 * withdraws it; a changed name or version replaces it).
 */
@Component(service = ArtifactInstaller.class, configurationPid = WorkflowDeployer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WorkflowDeployer.Config.class)
public class WorkflowDeployer implements ArtifactInstaller {
    static final String PID = "io.harmonix.workflow.deploy";

    @ObjectClassDefinition(name = "Harmonix workflows: hot deploy from deploy/")
    @interface Config {
        @AttributeDefinition(description = "Definition files in deploy/ larger than this many bytes are refused "
                + "unread.", min = "1")
        long maxFileSize() default 1_048_576;
    }

    @Reference
    private WorkflowService workflows;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private Path deployDir;
    private volatile long maxFileSize;
    private final Map<File, String[]> deployed = new ConcurrentHashMap<>();
    /** the last piece of work of each file: the next one runs after it */
    private final Map<File, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();
    private ExecutorService workers;

    @Activate
    void activate(BundleContext context, Config config) {
        String home = context.getProperty("harmonix.home");
        deployDir = Path.of(home == null ? "." : home).resolve("deploy").toAbsolutePath().normalize();
        modified(config);
        workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "workflow-deploy");
            t.setDaemon(true);
            return t;
        });
    }

    @Modified
    void modified(Config config) {
        maxFileSize = config.maxFileSize() > 0 ? config.maxFileSize() : 1_048_576;
    }

    @Deactivate
    void deactivate() {
        workers.shutdownNow();
    }

    @Override
    public boolean canHandle(File artifact) {
        String name = artifact.getName();
        return (name.endsWith(".yaml") || name.endsWith(".yml"))
                && artifact.toPath().toAbsolutePath().normalize().getParent().equals(deployDir);
    }

    @Override
    public void install(File artifact) {
        later(artifact, () -> deploy(artifact));
    }

    @Override
    public void update(File artifact) {
        later(artifact, () -> deploy(artifact));
    }

    @Override
    public void uninstall(File artifact) {
        later(artifact, () -> {
            for (String[] d : deployedFrom(artifact, deployed.remove(artifact))) {
                if (workflows.withdraw(d[0], d[1])) {
                    log.info("workflow {} {} withdrawn: {} was removed", d[0], d[1], artifact);
                }
            }
        });
    }

    /** Runs the work of a file after what was queued for it before, on this component's threads. */
    private void later(File artifact, Runnable work) {
        CompletableFuture<Void> next = queued.compute(artifact, (f, before) -> (before == null
                ? CompletableFuture.<Void>completedFuture(null)
                // a piece that ended badly (an Error, a refusal of the pool) must not skip the file's later ones:
                // thenRunAsync runs nothing after an exceptional completion
                : before.exceptionally(failed -> null)).thenRunAsync(() -> {
                    try {
                        work.run();
                    } catch (RuntimeException | LinkageError | AssertionError e) {
                        log.error("workflow file {}: {}", artifact, String.valueOf(e.getMessage()), e);
                    }
                }, workers));
        // a file's entry goes once its last piece has run, so that the map holds only the files with work queued
        next.whenComplete((done, failed) -> queued.remove(artifact, next));
    }

    /**
     * What {@code artifact} deployed: what this component recorded, else (this component started after FileInstall
     * had handed the file to the one before it, e.g. the bundle was updated) the definitions deployed from its
     * path, which the workflow service keeps with each definition.
     */
    private List<String[]> deployedFrom(File artifact, String[] recorded) {
        if (recorded != null) {
            return List.<String[]>of(recorded);
        }
        List<String[]> found = new ArrayList<>();
        for (DefinitionInfo d : workflows.definitions()) {
            if (artifact.getPath().equals(d.source())) {
                found.add(new String[] {d.name(), d.version()});
            }
        }
        return found;
    }

    private void deploy(File artifact) {
        try {
            long size = Files.size(artifact.toPath());
            if (size > maxFileSize) {
                log.error("workflow file {} not deployed: {} bytes, more than the limit of {} bytes ({} "
                        + "maxFileSize)", artifact, size, maxFileSize, PID);
                return;
            }
            String text = Files.readString(artifact.toPath(), StandardCharsets.UTF_8);
            // read before the deploy, which records the new definition with this same source
            List<String[]> previously = deployed.containsKey(artifact) ? List.of()
                    : deployedFrom(artifact, null);
            DefinitionInfo d = workflows.deploy(artifact.getPath(), text);
            String[] recorded = deployed.get(artifact);
            List<String[]> before = recorded != null ? List.<String[]>of(recorded) : previously;
            deployed.put(artifact, new String[] {d.name(), d.version()});
            for (String[] b : before) {
                if (!(b[0].equals(d.name()) && b[1].equals(d.version()))) {
                    workflows.withdraw(b[0], b[1]); // the file now holds another name or version
                }
            }
            log.info("workflow {} {} deployed from {}", d.name(), d.version(), artifact);
        } catch (WorkflowValidationException e) {
            log.error("workflow file {} not deployed: {}", artifact, e.getMessage());
        } catch (IOException e) {
            log.error("workflow file {} not deployed: cannot read it: {}", artifact, e.toString());
        }
    }
}
