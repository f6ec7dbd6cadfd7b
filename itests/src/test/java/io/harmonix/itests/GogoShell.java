package io.harmonix.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The Gogo shell as a user meets it, inside the container: a session of the framework's command processor. Harmonix
 * commands are functions in Gogo's table, not services, so a test asks the shell itself whether one answers.
 */
final class GogoShell {
    private GogoShell() {
    }

    /** @return what {@code line} printed in a fresh session */
    static String execute(BundleContext context, String line) throws Exception {
        ServiceReference<CommandProcessor> ref = context.getServiceReference(CommandProcessor.class);
        CommandProcessor processor = context.getService(ref);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute(line);
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            session.close();
            context.ungetService(ref);
        }
    }

    /** @return whether the shell knows {@code scope:function} now (its {@code --help} answers) */
    static boolean answers(BundleContext context, String command) throws Exception {
        try {
            execute(context, command + " --help");
            return true;
        } catch (Exception e) {
            // gogo.runtime's CommandNotFoundException, which the probe does not import
            if (e.getClass().getSimpleName().equals("CommandNotFoundException")) {
                return false;
            }
            throw e;
        }
    }
}
