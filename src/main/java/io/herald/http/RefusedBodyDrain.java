package io.herald.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and drops the rest of an HTTP/2 request body after its refusal has been written, then ends the exchange:
 * at the body's end, after {@code budget} more bytes, at the async timeout or on an error. Over HTTP/2 a server that
 * answers before the body is all sent should reset the stream with {@code NO_ERROR} (RFC 9113 §8.1); a container
 * that neither does that nor reads on leaves the client stuck on a flow-control window it has used up, and a client
 * that reads no answer before its body is sent (the JDK's {@code HttpClient}) never gets the refusal. Reading on
 * gives the client window to finish its body and so reach the answer. Servlet API only, for the app servers
 * ({@link UnreadBodies#discardAfterRefusal}); the embedded runtime resets such streams itself.
 */
final class RefusedBodyDrain implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(RefusedBodyDrain.class.getName());

    private final AsyncContext async;
    private final ServletInputStream in;
    private final byte[] scratch = new byte[8192];
    private long budget;
    private boolean done;

    RefusedBodyDrain(AsyncContext async, ServletInputStream in, long budget) {
        this.async = async;
        this.in = in;
        this.budget = budget;
    }

    /**
     * Drains on {@code async}, whose refusal has been written, reading its own input: the listener is this one.
     */
    static void start(AsyncContext async, ServletInputStream in, long budget, long timeoutMs) {
        RefusedBodyDrain drain = new RefusedBodyDrain(async, in, budget);
        async.setTimeout(timeoutMs);
        async.addListener(drain);
        try {
            in.setReadListener(drain);
            // Grizzly calls the listener only after a first isReady(); the others call it on their own
            drain.onDataAvailable();
        } catch (IOException | RuntimeException e) {
            drain.onError(e);
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        boolean end = false;
        synchronized (this) {
            while (!done) {
                if (budget <= 0 || in.isFinished()) {
                    end = true;
                    break;
                }
                if (!in.isReady()) {
                    break; // called again when more has come, or at the end
                }
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, budget));
                if (n < 0) {
                    end = true;
                    break;
                }
                budget -= n;
            }
        }
        if (end) {
            end();
        }
    }

    @Override
    public void onAllDataRead() {
        end();
    }

    @Override
    public void onError(Throwable t) {
        LOG.log(Level.FINE, "The rest of a refused body could not be read", t);
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private void end() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        AsyncBody.completeQuietly(async);
    }
}
