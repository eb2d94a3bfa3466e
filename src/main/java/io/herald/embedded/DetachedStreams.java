package io.herald.embedded;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Lets Grizzly forget a stream's HTTP exchange once Herald writes the body itself. A servlet container keeps the
 * whole request and response (about 18 KiB of header chunks and buffers) for as long as an async request lasts;
 * a detached stream completes its exchange right after the headers, and this filter, just above the transport,
 * keeps Grizzly's HTTP layer off the connection from then on: what the client sends is dropped (an EventSource
 * sends nothing after its request) and what Grizzly would write (the last chunk of the completed response) is
 * swallowed. The connection is closed by Herald, or by the transport when the client goes.
 */
final class DetachedStreams implements AddOn {

    private static final Attribute<Boolean> DETACHED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(DetachedStreams.class.getName());
    private static final Attribute<HeldWrites> HELD =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(DetachedStreams.class.getName() + ".held");

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(TransportFilter.class) + 1, new Gate());
    }

    /** From now on the connection carries only Herald's writes; Grizzly's keep-alive timeout no longer applies. */
    static void detach(Connection<?> connection) {
        DETACHED.set(connection, Boolean.TRUE);
        IdleTimeoutFilter.setCustomTimeout(connection, -1, TimeUnit.MILLISECONDS);
    }

    private static boolean isDetached(Connection<?> connection) {
        return DETACHED.get(connection) != null;
    }

    /**
     * Keeps what Grizzly writes on {@code connection} from now on (a stream's headers) instead of sending it, until
     * {@link HeldWrites#release()}: Herald then sends those bytes with the stream's first frames, in one write.
     * Only for a write made on this thread right after, with nothing queued on the connection.
     */
    static HeldWrites hold(Connection<?> connection) {
        HeldWrites held = new HeldWrites(connection);
        HELD.set(connection, held);
        return held;
    }

    /** Bytes Grizzly wrote on a connection while they were held, in order. */
    static final class HeldWrites {
        private final Connection<?> connection;
        private byte[] bytes = new byte[0];

        private HeldWrites(Connection<?> connection) {
            this.connection = connection;
        }

        private void add(Buffer buffer) {
            int at = bytes.length;
            bytes = Arrays.copyOf(bytes, at + buffer.remaining());
            buffer.get(bytes, at, bytes.length - at);
        }

        /** Stops holding; the bytes held, which the caller must now send before anything else. */
        byte[] release() {
            HELD.remove(connection);
            return bytes;
        }
    }

    /** Tells Grizzly a write it handed down went out, without sending it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static NextAction completeUnsent(FilterChainContext ctx) {
        Object message = ctx.getMessage();
        long size = message instanceof Buffer buffer ? buffer.remaining() : 0;
        CompletionHandler handler = ctx.getTransportContext().getCompletionHandler();
        if (handler != null) {
            handler.completed(WriteResult.create(ctx.getConnection(), message, null, size));
        }
        if (message instanceof Buffer buffer) {
            buffer.tryDispose();
        }
        return ctx.getStopAction();
    }

    static final class Gate extends BaseFilter {

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (!isDetached(ctx.getConnection())) {
                return ctx.getInvokeAction();
            }
            if (ctx.getMessage() instanceof Buffer buffer) {
                buffer.tryDispose();
            }
            return ctx.getStopAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            HeldWrites held = HELD.get(ctx.getConnection());
            if (held != null && ctx.getMessage() instanceof Buffer buffer) {
                held.add(buffer.duplicate());
                return completeUnsent(ctx);
            }
            if (!isDetached(ctx.getConnection())) {
                return ctx.getInvokeAction();
            }
            return completeUnsent(ctx);
        }
    }
}
