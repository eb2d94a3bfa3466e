package io.herald.embedded;

import io.herald.http.UnreadBodies;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.servlet.ServletRequest;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http2.Http2Stream;
import org.glassfish.grizzly.http2.frames.ErrorCode;
import org.glassfish.grizzly.http2.frames.RstStreamFrame;
import org.glassfish.grizzly.http2.frames.WindowUpdateFrame;

/**
 * The embedded runtime's end of an exchange whose request body is refused unread: over HTTP/1.x the connection
 * closes with the answer, over HTTP/2 the stream is reset after it.
 * <p>
 * HTTP/1.x: when a response completes before its request's body has been read, Grizzly reads and discards the rest
 * of the body before it honours {@code Connection: close}, so a client that never sends the rest would keep its
 * socket until the keep-alive idle timeout. Marking the request's content broken makes Grizzly close the connection
 * as soon as the answer is written.
 * <p>
 * HTTP/2: the connection carries other streams and stays. Grizzly drops whatever more of the body comes but tells
 * the client nothing: no reset, and no more flow-control window for the stream, so a client with more to send is
 * held on a window it has used up and may never read the answer (the JDK's {@code HttpClient} reads none before its
 * body is sent). Once the whole answer has gone out, the stream is reset with {@code NO_ERROR}, which is how
 * RFC 9113 §8.1 has a server ask a client to stop sending a request whose response is complete. Just before, the
 * window is opened by {@link #DISCARDED_AT_MOST} bytes, which Grizzly discards as they come: a client that ignores
 * the reset until its body is sent (the JDK 17 {@code HttpClient} queues it behind the answer) gets to the end of a
 * body up to that much longer, and with it its answer.
 */
@ApplicationScoped
@Alternative
@Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
public class GrizzlyUnreadBodies extends UnreadBodies {

    /** How much more of a refused HTTP/2 body the client may send, to be discarded, before it must heed the reset. */
    static final int DISCARDED_AT_MOST = 1 << 20;

    @Override
    public void closeWithAnswer(ServletRequest request) {
        Request grizzly = GrizzlyRequests.of(request);
        if (grizzly == null) {
            return;
        }
        if (request.getProtocol().startsWith("HTTP/1")) {
            grizzly.getRequest().setContentBroken(true);
            return;
        }
        Http2Stream stream = Http2Stream.getStreamFor(grizzly.getRequest());
        if (stream != null) {
            int streamId = stream.getId();
            grizzly.addAfterServiceListener(served -> resetWhenAnswered(served, streamId));
        }
    }

    /**
     * Resets stream {@code streamId} with {@code NO_ERROR} once all of its frames have been written: called when
     * {@code request}'s response has finished, its last frame (END_STREAM) written or queued for flow control.
     */
    private static void resetWhenAnswered(Request request, int streamId) {
        Connection<?> connection = request.getContext().getConnection();
        // Grizzly's HTTP/2 filter completes a flush for a stream when all of its frames have been written, a last
        // DATA frame held back by the client's window included: a reset that overtook it would cost the client the
        // answer (a client heeds a NO_ERROR reset only after the END_STREAM of a complete response)
        request.getContext().notifyDownstream(TransportFilter.createFlushEvent(new EmptyCompletionHandler<>() {
            @Override
            public void completed(Object flushed) {
                // frames written to the connection go down through the HTTP/2 filter, which sends them as its own;
                // a stream half-closed by the server may still carry WINDOW_UPDATE and RST_STREAM (RFC 9113 §5.1)
                connection.write(WindowUpdateFrame.builder().streamId(streamId)
                        .windowSizeIncrement(DISCARDED_AT_MOST).build());
                connection.write(RstStreamFrame.builder().streamId(streamId).errorCode(ErrorCode.NO_ERROR).build());
            }
        }));
    }
}
