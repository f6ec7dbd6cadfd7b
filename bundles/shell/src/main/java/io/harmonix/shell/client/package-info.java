/**
 * Commands to a running runtime ({@code bin/harmonix client}, and {@code exec} on a data folder a runtime holds):
 * the framed protocol of the runtime's Unix domain socket ({@link io.harmonix.shell.client.Frames}) and its
 * client ({@link io.harmonix.shell.client.ShellClient}), which the launcher runs as plain Java, without a
 * framework. The runtime's side is the shell bundle's own. 1.1.0: {@code ShellClient.MAX_SOCKET_PATH} and
 * {@code tooLong}, why a data folder's socket path is too long for a socket. 1.0.0: first version.
 */
@Export
@Version("1.1.0")
package io.harmonix.shell.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
