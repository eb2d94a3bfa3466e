package io.herald.embedded;

import io.herald.delivery.Connection;
import io.herald.delivery.HeraldExecutors;
import io.herald.delivery.Outbound;
import io.herald.stream.DirectStreams;
import io.herald.stream.GzipFrames;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.CloseType;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.transport.TCPNIOConnection;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The embedded runtime's stream transport: once Grizzly has written a stream's headers, Herald writes the chunked
 * body straight to the socket ({@link DirectOutbound}), skipping Grizzly's per-write filter chain and buffer
 * allocation, which cost more than the system call itself in fan-out (docs/performance.md). Applies to plain
 * HTTP/1.1 streams; TLS, HTTP/2 and anything unexpected stay on servlet non-blocking output.
 * {@code herald.http.direct-writes=false} turns it off.
 */
@ApplicationScoped
@Alternative
@Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
public class GrizzlyDirectStreams extends DirectStreams {

    @Inject
    @ConfigProperty(name = "herald.http.direct-writes", defaultValue = "true")
    boolean enabled;
    /**
     * The socket send buffer of a direct stream. Set on the socket itself (which also stops the kernel's auto-tuning):
     * on loopback an accepted socket may start with megabytes, which a stalled client would fill before Herald's own
     * queue noticed anything. 0 leaves the kernel's choice.
     */
    @Inject
    @ConfigProperty(name = "herald.http.socket-send-buffer-bytes", defaultValue = "65536")
    int sendBufferBytes;
    /** Whether a direct stream lets Grizzly forget its request at once (see {@link DetachedStreams}). */
    @Inject
    @ConfigProperty(name = "herald.http.detach-streams", defaultValue = "true")
    boolean detach;

    @Inject
    HeraldExecutors executors;

    private final WritableWatcher watcher = new WritableWatcher();
    private final IdleTimerRelease idleRelease = new IdleTimerRelease();
    private ScheduledFuture<?> idleReleaseTask;

    @Override
    public Outbound open(HttpServletRequest request, HttpServletResponse response, Connection connection,
                         GzipFrames gzip) throws IOException {
        if (!enabled || request.isSecure() || !"HTTP/1.1".equals(request.getProtocol())) {
            return null;
        }
        Request grizzly = GrizzlyRequests.of(request);
        if (grizzly == null || !(grizzly.getConnection() instanceof TCPNIOConnection tcp)) {
            return null;
        }
        if (!(tcp.getChannel() instanceof SocketChannel channel) || !tcp.getAsyncWriteQueue().isEmpty()) {
            return null;
        }
        // Grizzly encodes the headers; Herald sends them with the stream's first frames, one write instead of two
        DetachedStreams.HeldWrites held = DetachedStreams.hold(tcp);
        byte[] head;
        try {
            response.flushBuffer();
        } finally {
            head = held.release();
        }
        if (sendBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
        }
        // Herald may write only what follows the headers, as chunks (nothing of Grizzly's is queued: it was all held)
        if (!grizzly.getResponse().getResponse().isChunked()) {
            sendThroughGrizzly(tcp, head);
            return null;
        }
        AsyncContext async = request.getAsyncContext();
        boolean detached = detach && grizzly.getRequest().getProcessingState().isKeepAlive();
        if (detached) {
            // Grizzly finishes the exchange now (and recycles the request), and stays off the connection
            DetachedStreams.detach(tcp);
            async.complete();
            releaseFromIdleTimer(tcp);
        }
        DirectOutbound out = new DirectOutbound(channel, tcp::terminateSilently, detached ? null : async, connection,
                gzip, watcher, head);
        CloseListener<Closeable, CloseType> gone = (closeable, type) -> connection.close(type == CloseType.REMOTELY
                ? Connection.CloseReason.CLIENT_GONE : Connection.CloseReason.WRITE_FAILED);
        tcp.addCloseListener(gone);
        return out;
    }

    /** Hands held bytes back to Grizzly's own write queue, for a stream that stays on servlet output. */
    private static void sendThroughGrizzly(TCPNIOConnection tcp, byte[] bytes) {
        if (bytes.length > 0) {
            TCPNIOTransport transport = (TCPNIOTransport) tcp.getTransport();
            transport.getAsyncQueueIO().getWriter().write(tcp, Buffers.wrap(transport.getMemoryManager(), bytes), null);
        }
    }

    /** Queues a detached stream for {@link IdleTimerRelease}, whose sweep starts with the first detached stream. */
    private void releaseFromIdleTimer(TCPNIOConnection tcp) {
        idleRelease.add(tcp);
        synchronized (this) {
            if (idleReleaseTask == null) {
                idleReleaseTask = executors.scheduler().scheduleWithFixedDelay(idleRelease, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    @PreDestroy
    void stop() {
        synchronized (this) {
            if (idleReleaseTask != null) {
                idleReleaseTask.cancel(false);
            }
        }
        watcher.stop();
    }
}
