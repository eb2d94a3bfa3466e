package io.herald.stream;

import io.herald.delivery.Connection;
import io.herald.delivery.Outbound;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;

/** A connection's bytes over servlet non-blocking output ({@code AsyncContext} plus {@code WriteListener}). */
final class ServletOutbound implements Outbound, WriteListener, AsyncListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Connection connection;
    /** Null unless the stream is gzip-compressed ({@code herald.compression.enabled} and the client accepts it). */
    private final GzipFrames gzip;
    private volatile boolean completed;

    ServletOutbound(AsyncContext async, ServletOutputStream out, Connection connection, GzipFrames gzip) {
        this.async = async;
        this.out = out;
        this.connection = connection;
        this.gzip = gzip;
    }

    @Override
    public boolean isReady() {
        return !completed && out.isReady();
    }

    @Override
    public void write(byte[] frame) throws IOException {
        out.write(gzip == null ? frame : gzip.frame(frame));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        if (completed) {
            return;
        }
        completed = true;
        try {
            if (gzip != null) {
                endGzip();
            }
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container (client gone)
        }
    }

    /** Ends the gzip member when the socket can take it; a client that went away needs no trailer. */
    private void endGzip() {
        try {
            if (out.isReady()) {
                out.write(gzip.finish());
            } else {
                gzip.end();
            }
        } catch (IOException | RuntimeException e) {
            gzip.end();
        }
    }

    @Override
    public void onWritePossible() {
        connection.onWritable();
    }

    @Override
    public void onError(Throwable t) {
        connection.close(Connection.CloseReason.CLIENT_GONE);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        completed = true;
        connection.close(Connection.CloseReason.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        connection.close(Connection.CloseReason.CLIENT_GONE);
    }

    @Override
    public void onError(AsyncEvent event) {
        connection.close(Connection.CloseReason.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not re-dispatched
    }
}
