package io.herald.delivery;

import java.io.IOException;

/** The non-blocking byte sink under a connection (servlet async output in practice). */
public interface Outbound {

    /** True when a write may be made now; when false, the transport calls back once it can take more. */
    boolean isReady();

    void write(byte[] frame) throws IOException;

    void flush() throws IOException;

    /** Ends the response. */
    void close();

    /** Ends the response of a client that is dropped (stalled, or failing): a transport that can reset does. */
    default void abort() {
        close();
    }

    /** Ends the response of a client that has gone: a transport that knows there is no one to write to writes nothing. */
    default void abandon() {
        close();
    }

    /**
     * Whether the thread that opens a stream may write its first frames itself: true for a transport whose writes
     * never block and may come from any thread, one at a time.
     */
    default boolean writesOnOpener() {
        return false;
    }

    /**
     * Whether a heartbeat must be followed by a probe write to find out that the client has gone: true for servlet
     * output, where only a failed write tells; false for a transport that reads the socket and sees the close itself.
     */
    default boolean needsProbe() {
        return true;
    }
}
