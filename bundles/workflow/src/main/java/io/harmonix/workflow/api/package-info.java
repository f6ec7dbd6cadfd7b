/**
 * Harmonia, the workflow engine: {@link io.harmonix.workflow.api.WorkflowService} validates, stores and runs
 * declarative workflow definitions; {@link io.harmonix.workflow.api.TaskHandler} services do the tasks' work,
 * selected by their component and action.
 *
 * <p>1.3.0: {@link io.harmonix.workflow.api.InstanceInfo#succeededWithFailures()};
 * {@link io.harmonix.workflow.api.WorkflowService#startOnce} (sub-workflows found again by their parent task).
 *
 * <p>1.4.0: {@link io.harmonix.workflow.api.WorkflowService#atFirstUse} (shipped definitions deployed when a command
 * first needs the engine in exec mode).
 */
@Export
@Version("1.4.0")
package io.harmonix.workflow.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
