package io.herald.http;

import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a request body that has not fully arrived, without holding a thread while it comes: the servlet's
 * non-blocking input ({@link ReadListener}), so clients that send their body slowly cannot tie up the container's
 * request threads and stall everyone else's requests (docs/performance.md, "Slow request bodies"). The body goes to
 * {@code whenRead} on whichever container thread read its last byte; a body not complete within the async timeout is
 * answered {@code 408}, one that ends short of its declared length {@code 400}, one without a declared length
 * (chunked, or HTTP/2 without {@code content-length}) that grows past the limit {@code 413}. A refusal says
 * {@code Connection: close}, since the rest of the body is never read, and has the runtime close the connection
 * with the answer ({@link UnreadBodies}) rather than wait for the rest.
 * <p>
 * A body of a declared length is complete when that length has been read; reading stops there without asking
 * {@code isReady()} again. Grizzly's input would otherwise register a wait for more data after the last byte and
 * may report the end from another thread before a callback it queued has read that byte; with the length known,
 * neither matters. A body without one is complete when the container says so: {@code isFinished()} (Grizzly: the
 * last chunk has been received, what it holds is read without another {@code isReady()}), a read that returns
 * {@code -1} (Undertow), or {@code onAllDataRead}.
 */
public final class AsyncBody implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(AsyncBody.class.getName());
    private static final int INITIAL = 8192;

    private final AsyncContext async;
    private final ServletInputStream in;
    private final UnreadBodies unread;
    private final Consumer<byte[]> whenRead;
    /** The declared length, or -1 when the body has none. */
    private final int declared;
    /** The most an undeclared body may hold. */
    private final long maxBytes;
    private byte[] buf;
    private int len;
    private boolean done;
    /** Set once the body is refused as too large and the rest is read and dropped: it gets the callbacks. */
    private volatile RefusedBodyDrain drain;

    private AsyncBody(AsyncContext async, ServletInputStream in, UnreadBodies unread, int declared, long maxBytes,
                      Consumer<byte[]> whenRead) {
        this.async = async;
        this.in = in;
        this.unread = unread;
        this.whenRead = whenRead;
        this.declared = declared;
        this.maxBytes = maxBytes;
        this.buf = new byte[declared >= 0 ? declared : (int) Math.min(INITIAL, maxBytes + 1)];
    }

    /** What gets a body read ahead, with the request's async context, which it must complete or dispatch. */
    public interface WhenRead {
        void accept(AsyncContext async, byte[] body);
    }

    /**
     * Whether the body of {@code request} has a declared length and is all here already, so reading it cannot block
     * (a small body usually comes in the packet of its headers; an empty one always does).
     */
    public static boolean wholeBodyHere(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        return length >= 0 && request.getInputStream().available() >= length;
    }

    /**
     * Reads the body of {@code request} without holding this thread: one whose declared length is over
     * {@code maxBytes} is answered {@code 413} at once (and its connection closed by {@code unread}, the body never
     * read); otherwise
     * the request goes asynchronous ({@link Dispatch#goingAsync()}) and the body, of its declared length or to its
     * end (refused {@code 413} once it holds more than {@code maxBytes}), goes to {@code whenRead}, which must
     * answer and complete, or dispatch. Stalls and errors are answered and completed here, and their connections
     * closed by {@code unread}.
     */
    public static void readAhead(HttpServletRequest request, HttpServletResponse response, long maxBytes,
                                 long timeoutMs, UnreadBodies unread, WhenRead whenRead) throws IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            refuseUnread(request, response, JsonBody.tooLarge(maxBytes), timeoutMs, unread, true);
            return;
        }
        AsyncListener dispatchEnds = Dispatch.of(request).goingAsync();
        AsyncContext async = request.startAsync(request, response);
        async.addListener(dispatchEnds);
        ServletInputStream in = request.getInputStream();
        Consumer<byte[]> body = bytes -> whenRead.accept(async, bytes);
        if (length < 0) {
            start(new AsyncBody(async, in, unread, -1, Math.min(maxBytes, Integer.MAX_VALUE - 16), body), timeoutMs);
        } else {
            start(new AsyncBody(async, in, unread, (int) length, length, body), timeoutMs);
        }
    }

    private static void start(AsyncBody body, long timeoutMs) {
        body.async.setTimeout(timeoutMs);
        body.async.addListener(body);
        body.in.setReadListener(body);
        try {
            // Grizzly waits for a first isReady() before it calls the listener at all; other containers call it
            // on their own, and a second look finds nothing more to read
            body.onDataAvailable();
        } catch (IOException | RuntimeException e) {
            body.onError(e);
        }
    }

    /** How a read ended: still waiting, the whole body, or too large. */
    private enum Outcome { WAITING, WHOLE, TOO_LARGE }

    @Override
    public void onDataAvailable() throws IOException {
        RefusedBodyDrain draining = drain;
        if (draining != null) {
            draining.onDataAvailable();
            return;
        }
        Outcome outcome = Outcome.WAITING;
        synchronized (this) {
            while (!done) {
                if (declared >= 0 ? len == declared : in.isFinished()) {
                    outcome = declared >= 0 ? Outcome.WHOLE : readBuffered();
                    break;
                }
                if (!in.isReady()) {
                    break; // the container calls back when more has come, or at the end
                }
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1, 2L * buf.length));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    if (declared < 0) {
                        outcome = Outcome.WHOLE;
                    }
                    break; // a declared body ended short: onAllDataRead refuses it
                }
                len += n;
                if (declared < 0 && len > maxBytes) {
                    outcome = Outcome.TOO_LARGE;
                    break;
                }
            }
            if (outcome != Outcome.WAITING) {
                done = true;
            }
        }
        conclude(outcome);
    }

    @Override
    public void onAllDataRead() throws IOException {
        RefusedBodyDrain draining = drain;
        if (draining != null) {
            draining.onAllDataRead();
            return;
        }
        Outcome outcome;
        synchronized (this) {
            if (done) {
                return;
            }
            // Grizzly may report the end from the thread that received the last bytes before a callback it queued
            // has read them: read what it holds, without isReady(), which would register a second wait it refuses
            outcome = readBuffered();
            done = true;
        }
        if (outcome == Outcome.WAITING) {
            // the container saw the end before the declared length: never parse a partial body
            LOG.log(Level.FINE, "A publish body ended at {0} of {1} bytes", new Object[] {len, declared});
            refuse(ApiException.badRequest("unreadable_body",
                    "The request body ended at " + len + " of " + declared + " bytes"));
            return;
        }
        conclude(outcome);
    }

    /**
     * Reads what the container holds already, without waiting: the rest of a body whose end it has seen. WAITING
     * when a declared length is still not reached.
     */
    private Outcome readBuffered() throws IOException {
        int limit = declared >= 0 ? declared : (int) maxBytes + 1;
        while (len < limit && in.available() > 0) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        if (declared >= 0) {
            return len == declared ? Outcome.WHOLE : Outcome.WAITING;
        }
        return len > maxBytes ? Outcome.TOO_LARGE : Outcome.WHOLE;
    }

    private void conclude(Outcome outcome) {
        if (outcome == Outcome.WHOLE) {
            whenRead.accept(len == buf.length ? buf : Arrays.copyOf(buf, len));
        } else if (outcome == Outcome.TOO_LARGE) {
            refuseTooLarge();
        }
    }

    /**
     * Refuses a body grown past the limit; over HTTP/2 on a runtime that asks for it, the rest is then read and
     * dropped before the exchange ends ({@link UnreadBodies#discardAfterRefusal}).
     */
    private void refuseTooLarge() {
        long discard = unread.discardAfterRefusal(async.getRequest());
        if (discard <= 0) {
            refuse(JsonBody.tooLarge(maxBytes));
            return;
        }
        try {
            JsonBody.tooLarge(maxBytes).writeTo((HttpServletResponse) async.getResponse());
            // the callbacks already queued for this listener go to the drain from here on
            RefusedBodyDrain draining = new RefusedBodyDrain(async, in, discard);
            drain = draining;
            draining.onDataAvailable();
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "A refusal could not be written", e);
            completeQuietly(async);
        }
    }

    @Override
    public void onError(Throwable t) {
        RefusedBodyDrain draining = drain;
        if (draining != null) {
            draining.onError(t);
            return;
        }
        if (!claim()) {
            return;
        }
        LOG.log(Level.FINE, "A publish body could not be read", t);
        refuse(ApiException.badRequest("unreadable_body", "The request body could not be read"));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        RefusedBodyDrain draining = drain;
        if (draining != null) {
            draining.onTimeout(event);
            return;
        }
        if (!claim()) {
            return;
        }
        refuse(new ApiException(408, "body_timeout",
                "The request body did not arrive within " + async.getTimeout() + " ms"));
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

    private void refuse(ApiException refusal) {
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            if (!response.isCommitted()) {
                answerUnread(unread, async.getRequest(), response, refusal);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "A refusal could not be written", e);
        } finally {
            completeQuietly(async);
        }
    }

    /**
     * Answers a request whose body is not read (or not all of it) with {@code refusal}: {@code Connection: close},
     * and the runtime closes the connection with the answer rather than wait for the rest.
     */
    private static void answerUnread(UnreadBodies unread, ServletRequest request, HttpServletResponse response,
                                     ApiException refusal) throws IOException {
        unread.closeWithAnswer(request);
        if (request.getProtocol().startsWith("HTTP/1")) {
            // not over HTTP/2, where a connection-specific header is forbidden (RFC 9113 §8.2.2)
            response.setHeader("Connection", "close");
        }
        refusal.writeTo(response);
    }

    /**
     * Answers {@code request}, whose body has not all been read, with {@code refusal}. Over HTTP/2 on a runtime that
     * asks for it ({@link UnreadBodies#discardAfterRefusal}) the request goes asynchronous first and the rest of the
     * body is read and dropped after the answer, within {@code timeoutMs}. {@code closing} adds
     * {@code Connection: close} and {@link UnreadBodies#closeWithAnswer}, for a body that is never read: over
     * HTTP/1.x the connection ends with the answer. The caller must not touch the request after this.
     */
    public static void refuseUnread(HttpServletRequest request, HttpServletResponse response, ApiException refusal,
                                    long timeoutMs, UnreadBodies unread, boolean closing) throws IOException {
        long discard = request.isAsyncSupported() && !request.getInputStream().isFinished()
                ? unread.discardAfterRefusal(request) : 0;
        if (discard <= 0) {
            if (closing) {
                answerUnread(unread, request, response, refusal);
            } else {
                refusal.writeTo(response);
            }
            return;
        }
        // Not marked going-async (Dispatch): the answer is complete before this returns, so the filters outside
        // see and count it as any other; only runtimes that complete a request after its dispatch returns (the
        // app servers, as the Servlet spec has it) ask for the drain
        AsyncContext async = request.startAsync(request, response);
        try {
            refusal.writeTo(response);
        } catch (IOException | RuntimeException e) {
            completeQuietly(async);
            throw e;
        }
        RefusedBodyDrain.start(async, request.getInputStream(), discard, timeoutMs);
    }

    /**
     * After the chain: when {@code request} was refused ({@code 4xx}, {@code 5xx}) and its body was not all read, nor
     * the request made asynchronous, its exchange goes asynchronous and up to {@code discard} more bytes of the body
     * are read and dropped before it ends ({@link UnreadBodies#discardAfterRefusal}). Only for a runtime that asks
     * for it: the request is touched after the chain.
     */
    public static void drainIfRefusedUnread(HttpServletRequest request, HttpServletResponse response, long discard,
                                            long timeoutMs) throws IOException {
        if (request.isAsyncStarted() || response.getStatus() < 400) {
            return;
        }
        AsyncContext async;
        ServletInputStream in;
        try {
            in = request.getInputStream();
            if (in.isFinished()) {
                return;
            }
            async = request.startAsync(request, response);
        } catch (IllegalStateException e) {
            // the body was read as characters (an app's own servlet), or the container will not go asynchronous now
            LOG.log(Level.FINE, "The rest of a refused body is left to the container", e);
            return;
        }
        // not marked going-async either (see refuseUnread): the filters outside count the refusal as usual
        RefusedBodyDrain.start(async, in, discard, timeoutMs);
    }

    public static void completeQuietly(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "The request had already ended", e);
        }
    }
}
