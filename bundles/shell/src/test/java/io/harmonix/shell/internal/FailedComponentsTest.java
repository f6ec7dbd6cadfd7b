package io.harmonix.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

/** The one line a command prints for a component whose activation failed, from what SCR keeps of it. */
class FailedComponentsTest {
    /** What Felix SCR puts in {@code ComponentConfigurationDTO.failure}: the thrown exception's stack trace. */
    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void theMessageOfWhatActivationThrewWithoutTheExceptionsClassName() {
        assertEquals("poolSize = abc: expected a whole number", FailedComponents.reason(stackTrace(
                new IllegalArgumentException("poolSize = abc: expected a whole number"))));
    }

    @Test
    void theInnermostCauseWhenTheActivationsExceptionWrapsIt() {
        Throwable wrapped = new IllegalStateException("activate failed", new InvocationTargetException(
                new IllegalArgumentException("namespace 'a b': expected letters, digits, '-' or '_'")));
        assertEquals("namespace 'a b': expected letters, digits, '-' or '_'",
                FailedComponents.reason(stackTrace(wrapped)));
    }

    @Test
    void anExceptionWithoutAMessageIsNamedAndNothingIsSaidWhenSCRSaysNothing() {
        assertEquals("java.lang.NullPointerException", FailedComponents.reason(stackTrace(new NullPointerException())));
        assertEquals("no reason given", FailedComponents.reason(null));
        assertEquals("no reason given", FailedComponents.reason("  "));
    }

    @Test
    void aLongReasonIsCutTheLogHasItAll() {
        String reason = FailedComponents.reason(stackTrace(new IllegalStateException("x".repeat(1000))));
        assertEquals(FailedComponents.MAX_REASON + 3, reason.length());
        assertEquals("...", reason.substring(FailedComponents.MAX_REASON));
    }
}
