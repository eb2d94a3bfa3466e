package io.herald.publish;

import io.herald.api.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a publish body of a declared length that has not fully arrived, without holding a thread while it comes: the
 * servlet's non-blocking input ({@link ReadListener}), so clients that send their body slowly cannot tie up the
 * container's request threads and stall everyone else's requests (docs/performance.md, "Slow request bodies"). The
 * body goes to {@code whenRead} on whichever container thread read its last byte; a body not complete within the
 * async timeout is answered {@code 408}, one that ends short of its length {@code 400}. A refusal says
 * {@code Connection: close}, since the rest of the body is never read (Grizzly still keeps such a connection until
 * its idle timeout, holding a socket but no thread).
 * <p>
 * The body is complete when its declared length has been read; reading stops there without asking
 * {@code isReady()} again. Grizzly's input would otherwise register a wait for more data after the last byte and
 * may report the end from another thread before a callback it queued has read that byte; with the length known,
 * neither matters. Chunked bodies, whose end only the container sees, are read by the blocking path.
 */
final class AsyncBody implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(AsyncBody.class.getName());

    private final AsyncContext async;
    private final ServletInputStream in;
    private final Consumer<byte[]> whenRead;
    private final byte[] buf;
    private int len;
    private boolean done;

    private AsyncBody(AsyncContext async, ServletInputStream in, int length, Consumer<byte[]> whenRead) {
        this.async = async;
        this.in = in;
        this.whenRead = whenRead;
        this.buf = new byte[length];
    }

    /**
     * Starts reading a body of {@code length} bytes (at most the publish limit, checked by the caller):
     * {@code whenRead} gets it and must answer and {@link AsyncContext#complete()}; refusals are answered and
     * completed here.
     */
    static void read(AsyncContext async, ServletInputStream in, int length, long timeoutMs,
                     Consumer<byte[]> whenRead) {
        async.setTimeout(timeoutMs);
        AsyncBody body = new AsyncBody(async, in, length, whenRead);
        async.addListener(body);
        in.setReadListener(body);
        try {
            // Grizzly waits for a first isReady() before it calls the listener at all; other containers call it
            // on their own, and a second look finds nothing more to read
            body.onDataAvailable();
        } catch (IOException | RuntimeException e) {
            body.onError(e);
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        boolean whole;
        synchronized (this) {
            while (!done && len < buf.length && in.isReady()) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            whole = !done && len == buf.length;
            if (whole) {
                done = true;
            }
        }
        if (whole) {
            whenRead.accept(buf);
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        boolean whole;
        synchronized (this) {
            if (done) {
                return;
            }
            // Grizzly may report the end from the thread that received the last bytes before a callback it queued
            // has read them: read what it holds, without isReady(), which would register a second wait it refuses
            while (len < buf.length && in.available() > 0) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            done = true;
            whole = len == buf.length;
        }
        if (whole) {
            whenRead.accept(buf);
            return;
        }
        // the container saw the end before the declared length: never parse a partial body
        LOG.log(Level.FINE, "A publish body ended at {0} of {1} bytes", new Object[] {len, buf.length});
        refuse(400, "unreadable_body", "The request body ended at " + len + " of " + buf.length + " bytes");
    }

    @Override
    public void onError(Throwable t) {
        if (!claim()) {
            return;
        }
        LOG.log(Level.FINE, "A publish body could not be read", t);
        refuse(400, "unreadable_body", "The request body could not be read");
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (!claim()) {
            return;
        }
        refuse(408, "body_timeout", "The request body did not arrive within " + async.getTimeout() + " ms");
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    /** Takes the one answer this body gets; false if it was taken already. */
    private synchronized boolean claim() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }

    private void refuse(int status, String error, String message) {
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            if (!response.isCommitted()) {
                response.setHeader("Connection", "close"); // the rest of the body is never read
                ApiException.writeTo(response, status, error, message);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "A refusal could not be written", e);
        } finally {
            completeQuietly(async);
        }
    }

    static void completeQuietly(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "The request had already ended", e);
        }
    }
}
