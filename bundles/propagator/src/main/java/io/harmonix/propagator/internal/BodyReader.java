package io.harmonix.propagator.internal;

import io.harmonix.propagator.internal.ingest.Ingest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Receives one ingest body with non-blocking reads (the container calls {@link #onDataAvailable} as bytes come, on
 * its threads, and no thread waits for a slow client), holding one permit of the concurrent-body cap until it
 * answers. It answers once: 413 as soon as the body passes the limit, 408 when the read timeout comes first (from
 * the deadline thread), otherwise what the {@link Ingest} decides on the whole body; whichever comes first claims
 * the answer, releases the permit and completes the request.
 */
final class BodyReader implements ReadListener {
    /** The first buffer: the declared length when it is smaller, so that a small body is copied once. */
    private static final int FIRST_BUFFER = 16 << 10;

    private final AsyncContext async;
    private final IngestServlet.Limits limits;
    /** What the ingest answers to the whole body (the request's headers already in it). */
    private final Function<byte[], Ingest.Answer> decision;
    private final ByteArrayOutputStream body;
    private final byte[] chunk = new byte[8192];
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile ScheduledFuture<?> deadline;

    BodyReader(AsyncContext async, IngestServlet.Limits limits, Function<byte[], Ingest.Answer> decision,
            long declared) {
        this.async = async;
        this.limits = limits;
        this.decision = decision;
        this.body = new ByteArrayOutputStream(declared >= 0 && declared < FIRST_BUFFER ? (int) declared
                : FIRST_BUFFER);
    }

    /** Arms the read timeout, then lets the container call back as the body comes. */
    void start(ScheduledExecutorService deadlines) throws IOException {
        try {
            deadline = deadlines.schedule(() -> finish(new Ingest.Answer(408, "{\"error\":\"the body was not "
                    + "received within " + limits.settings().readTimeout().toMillis()
                    + " ms (ingest.readTimeout)\"}"), true), limits.settings().readTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            async.getRequest().getInputStream().setReadListener(this);
        } catch (IOException | RuntimeException e) {
            // never complete without an answer: an empty response would read as 200, "delivered", to the sender
            finish(new Ingest.Answer(503, "{\"error\":\"ingest is stopping, try again\"}"), true);
            throw e;
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        ServletInputStream in = async.getRequest().getInputStream();
        while (!answered.get() && in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) {
                return; // onAllDataRead follows
            }
            if (body.size() + n > limits.settings().maxBodyBytes()) {
                // no more is read: the connection is closed with the answer, the rest of the body never taken
                finish(IngestServlet.tooLarge(limits.settings().maxBodyBytes()), true);
                return;
            }
            body.write(chunk, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!answered.compareAndSet(false, true)) {
            return; // the deadline answered first
        }
        cancelDeadline();
        Ingest.Answer a;
        try {
            a = decision.apply(body.toByteArray());
        } catch (RuntimeException | Error e) {
            // answered (and the body's permit released) whatever went wrong: a request left open would hold its
            // permit forever, and enough of them would refuse every peer
            a = new Ingest.Answer(503, "{\"error\":\"cannot take the body now, try again\"}");
        }
        respond(a, false);
    }

    @Override
    public void onError(Throwable t) {
        // the client went, or the container gave up on the connection (its idle timeout: 408). Answered anyway while
        // the response is not committed: an empty response would read as 200, "delivered", to a sender still there
        finish(t instanceof java.util.concurrent.TimeoutException
                ? new Ingest.Answer(408, "{\"error\":\"the body was not received in time\"}")
                : new Ingest.Answer(400, "{\"error\":\"the body could not be read\"}"), true);
    }

    /** Claims the answer (unless given already): releases the permit, answers (a null answer: none), completes. */
    private void finish(Ingest.Answer a, boolean close) {
        if (answered.compareAndSet(false, true)) {
            cancelDeadline();
            respond(a, close);
        }
    }

    private void respond(Ingest.Answer a, boolean close) {
        limits.bodies().release();
        try {
            if (a != null) {
                HttpServletResponse resp = (HttpServletResponse) async.getResponse();
                if (close) {
                    resp.setHeader("Connection", "close");
                }
                IngestServlet.answer(resp, a);
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone: nothing more to tell it
        } finally {
            try {
                async.complete();
            } catch (RuntimeException e) {
                // completed already by the container (after an error)
            }
        }
    }

    private void cancelDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }
}
