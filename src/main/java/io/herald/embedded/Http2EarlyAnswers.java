package io.herald.embedded;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.HttpServerProbe;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http2.Http2Stream;
import org.glassfish.grizzly.http2.frames.ErrorCode;
import org.glassfish.grizzly.http2.frames.RstStreamFrame;
import org.glassfish.grizzly.http2.frames.WindowUpdateFrame;

/**
 * The embedded runtime's end of an HTTP/2 exchange refused before its request body was all sent: on the headers
 * alone ({@code 401}, {@code 403}, {@code 415}, {@code 404}), for a body over the limit ({@code 413}) or a stalled
 * one ({@code 408}). Grizzly writes the answer, then drops whatever more of the body comes but tells the client nothing:
 * no reset, and no more flow-control window for the stream, so a client with more to send is held on a window it has
 * used up and may never read the answer (the JDK's {@code HttpClient} reads none before its body is sent).
 * <p>
 * Once the whole answer has gone out, the stream is reset with {@code NO_ERROR}, which is how RFC 9113 §8.1 has a
 * server ask a client to stop sending a request whose response is complete. Just before, the window is opened by
 * {@link #DISCARDED_AT_MOST} bytes, which Grizzly discards as they come: a client that ignores the reset until its
 * body is sent (the JDK 17 {@code HttpClient} queues it behind the answer) gets to the end of a body up to that much
 * longer, and with it its answer. The connection and its other streams go on.
 */
final class Http2EarlyAnswers extends HttpServerProbe.Adapter {

    /** How much more of an unread HTTP/2 body the client may send, to be discarded, before it must heed the reset. */
    static final int DISCARDED_AT_MOST = 1 << 20;

    @Override
    public void onBeforeServiceEvent(HttpServerFilter filter, Connection connection, Request request,
                                     HttpHandler httpHandler) {
        if (request.getRequest().getProtocol() == Protocol.HTTP_2_0) {
            request.addAfterServiceListener(Http2EarlyAnswers::resetIfUnread);
        }
    }

    /** Called when {@code request}'s response has finished, its last frame (END_STREAM) written or queued. */
    private static void resetIfUnread(Request request) {
        // Only refusals: every answer below 400 comes after Herald has read the body, though Grizzly may not have
        // seen its END_STREAM yet (a body read to its declared length). A refusal whose body had in fact all come
        // gets a reset on a stream the client has just closed, which RFC 9113 §5.1 has it ignore.
        if (request.getResponse().getStatus() < 400 || request.getInputBuffer().isFinished()) {
            return;
        }
        Http2Stream stream = Http2Stream.getStreamFor(request.getRequest());
        if (stream == null) {
            return;
        }
        int streamId = stream.getId();
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
