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
        @SuppressWarnings({"unchecked", "rawtypes"})
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            if (!isDetached(ctx.getConnection())) {
                return ctx.getInvokeAction();
            }
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
    }
}
