package io.herald.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A runtime's own way to end the exchange of a request whose body Herald refuses without reading it all (a
 * declared length over the limit, a body that stalls or grows past it, a caller refused on the headers alone).
 * <p>
 * Over HTTP/1.x such an answer says {@code Connection: close}; a container that would rather read and discard the
 * rest of the body first keeps the connection, and a client that never sends the rest, its socket, until an idle
 * timeout. The portable default leaves that to the container; the embedded runtime replaces this bean with one that
 * has Grizzly close the connection once the answer is written ({@code io.herald.embedded.GrizzlyUnreadBodies}).
 * <p>
 * Over HTTP/2, where the connection carries other streams, the portable default reads and drops up to
 * {@code herald.http2.refused-body-discard-bytes} more of the body after the answer ({@link RefusedBodyDrain}), so
 * a client that reads no answer before its body is sent (the JDK's {@code HttpClient}) is not left on a used-up
 * flow-control window by a container that neither reads on nor resets the stream (Payara). The embedded runtime
 * resets the stream of such an answer instead ({@code io.herald.embedded.Http2EarlyAnswers}).
 */
@ApplicationScoped
public class UnreadBodies {

    @Inject
    @ConfigProperty(name = "herald.http2.refused-body-discard-bytes", defaultValue = "1048576")
    long http2DiscardBytes;

    /** Called before the refusal of {@code request} is written: its connection ends with the answer. */
    public void closeWithAnswer(ServletRequest request) {
    }

    /**
     * How many more bytes of {@code request}'s refused body to read and drop after the answer before its exchange
     * ends; 0 ends it with the answer. Asked only of a request whose body has not all been read.
     */
    public long discardAfterRefusal(ServletRequest request) {
        return request.getProtocol().startsWith("HTTP/1") ? 0 : Math.max(0, http2DiscardBytes);
    }
}
