package io.herald.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletRequest;

/**
 * A runtime's own way to close the connection of a request whose body Herald refuses without reading it all (a
 * declared length over the limit, a body that stalls or grows past it). Such an answer says
 * {@code Connection: close}; a container that would rather read and discard the rest of the body first keeps the
 * connection, and a client that never sends the rest, its socket, until an idle timeout. The portable default
 * leaves it to the container; the embedded runtime replaces this bean with one that has Grizzly close an HTTP/1.x
 * connection once the answer is written ({@code io.herald.embedded.GrizzlyUnreadBodies}). Over HTTP/2, where the
 * connection carries other streams, the embedded runtime resets the stream of any answer given before its body was
 * all sent ({@code io.herald.embedded.Http2EarlyAnswers}).
 */
@ApplicationScoped
public class UnreadBodies {

    /** Called before the refusal of {@code request} is written: its connection ends with the answer. */
    public void closeWithAnswer(ServletRequest request) {
    }
}
