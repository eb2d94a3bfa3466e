package io.herald.embedded;

import io.herald.http.UnreadBodies;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.servlet.ServletRequest;
import org.glassfish.grizzly.http.server.Request;

/**
 * The embedded runtime's close of a refused body's connection. When a response completes before its request's
 * body has been read, Grizzly reads and discards the rest of the body before it honours {@code Connection: close},
 * so a client that never sends the rest would keep its socket until the keep-alive idle timeout. Marking the
 * request's content broken makes Grizzly close the connection as soon as the answer is written. HTTP/1.x only: an
 * HTTP/2 connection carries other streams, and its refused stream is reset by {@link Http2EarlyAnswers}.
 */
@ApplicationScoped
@Alternative
@Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
public class GrizzlyUnreadBodies extends UnreadBodies {

    @Override
    public void closeWithAnswer(ServletRequest request) {
        if (!request.getProtocol().startsWith("HTTP/1")) {
            return; // an HTTP/2 stream shares its connection with others: Http2EarlyAnswers resets the stream alone
        }
        Request grizzly = GrizzlyRequests.of(request);
        if (grizzly != null) {
            grizzly.getRequest().setContentBroken(true);
        }
    }

    /** None: an HTTP/1.x connection closes with the answer, an HTTP/2 stream is reset by Http2EarlyAnswers. */
    @Override
    public long discardAfterRefusal(ServletRequest request) {
        return 0;
    }
}
