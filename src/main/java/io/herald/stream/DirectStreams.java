package io.herald.stream;

import io.herald.delivery.Connection;
import io.herald.delivery.Outbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A runtime's own way to write a stream's bytes, in place of servlet non-blocking output. The portable default has
 * none, so every stream goes through {@link ServletOutbound}; the embedded runtime replaces this bean with one that
 * writes straight to the socket (see {@code io.herald.embedded.GrizzlyDirectStreams}).
 */
@ApplicationScoped
public class DirectStreams {

    /**
     * Takes over an admitted stream whose async context has started and whose headers are set, or returns null to
     * leave it to servlet output. A non-null outbound owns every byte of the body from then on.
     */
    public Outbound open(HttpServletRequest request, HttpServletResponse response, Connection connection,
                         GzipFrames gzip) throws IOException {
        return null;
    }
}
