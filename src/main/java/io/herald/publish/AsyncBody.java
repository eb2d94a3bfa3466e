package io.herald.publish;

import io.herald.api.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a publish body that has not fully arrived without holding a thread while it comes: the servlet's non-blocking
 * input ({@link ReadListener}), so clients that send their body slowly cannot tie up the container's request threads
 * and stall everyone else's requests (docs/performance.md, "Slow request bodies"). The whole body, at most
 * {@code maxBytes}, goes to {@code whenRead} on whichever container thread saw its end; over the limit the answer is
 * {@code 413}, and a body not complete within the async timeout is answered {@code 408}. Either refusal says
 * {@code Connection: close}, since the rest of the body is never read (Grizzly still keeps such a connection until
 * its idle timeout, holding a socket but no thread).
 */
final class AsyncBody implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(AsyncBody.class.getName());
    private static final int INITIAL = 8192;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final long maxBytes;
    private final Consumer<byte[]> whenRead;
    private byte[] buf;
    private int len;
    private boolean done;

    private AsyncBody(AsyncContext async, ServletInputStream in, long maxBytes, long expected,
                      Consumer<byte[]> whenRead) {
        this.async = async;
        this.in = in;
        this.maxBytes = maxBytes;
        this.whenRead = whenRead;
        this.buf = new byte[(int) Math.max(1, Math.min(expected > 0 ? expected + 1 : INITIAL, maxBytes + 1))];
    }

    /**
     * Starts reading: {@code whenRead} gets the body and must answer and {@link AsyncContext#complete()}; refusals
     * are answered and completed here.
     */
    static void read(AsyncContext async, ServletInputStream in, long maxBytes, long contentLength, long timeoutMs,
                     Consumer<byte[]> whenRead) {
        async.setTimeout(timeoutMs);
        AsyncBody body = new AsyncBody(async, in, maxBytes, contentLength, whenRead);
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
        boolean ended = false;
        synchronized (this) {
            while (!done && in.isReady()) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1, 2L * buf.length));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    ended = true;
                    break;
                }
                len += n;
                if (len > maxBytes) {
                    done = true;
                    refuse(413, "payload_too_large", "The request body is over the limit of " + maxBytes + " bytes");
                    return;
                }
            }
        }
        if (ended) {
            onAllDataRead(); // once only, whether or not the container calls it too
        }
    }

    @Override
    public void onAllDataRead() {
        byte[] body;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            body = len == buf.length ? buf : Arrays.copyOf(buf, len);
        }
        whenRead.accept(body);
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        LOG.log(Level.FINE, "A publish body could not be read", t);
        refuse(400, "unreadable_body", "The request body could not be read");
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
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
