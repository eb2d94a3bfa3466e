package io.herald.embedded;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.nio.NIOConnection;
import org.glassfish.grizzly.nio.transport.TCPNIOServerConnection;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A real Grizzly transport with Herald's options accepts a real connection: the accepted socket is non-blocking with
 * TCP_NODELAY (and the transport's linger, when it has one) and without the two options Grizzly's default would add;
 * the listening socket keeps Grizzly's own configuration.
 */
class AcceptedSocketOptionsTest {

    private TCPNIOTransport transport;

    @AfterEach
    void stop() throws IOException {
        if (transport != null) {
            transport.shutdownNow();
        }
    }

    /** Starts a transport on a free loopback port, connects to it once and returns the accepted socket's options. */
    private Map<String, Object> acceptedOptions(int linger) throws Exception {
        CompletableFuture<Map<String, Object>> accepted = new CompletableFuture<>();
        transport = TCPNIOTransportBuilder.newInstance().build();
        transport.setLinger(linger);
        transport.setProcessor(FilterChainBuilder.stateless().add(new TransportFilter()).add(new BaseFilter() {
            @Override
            public NextAction handleAccept(FilterChainContext ctx) {
                try {
                    accepted.complete(options((SocketChannel) ((NIOConnection) ctx.getConnection()).getChannel()));
                } catch (IOException | RuntimeException e) {
                    accepted.completeExceptionally(e);
                }
                return ctx.getStopAction();
            }
        }).build());
        AcceptedSocketOptions.install(transport);
        assertSame(AcceptedSocketOptions.class, transport.getChannelConfigurator().getClass());
        TCPNIOServerConnection server = transport.bind(new InetSocketAddress("127.0.0.1", 0));
        transport.start();
        ServerSocketChannel listening = (ServerSocketChannel) server.getChannel();
        assertEquals(false, listening.isBlocking(), "the listening socket is still made non-blocking");
        assertEquals(true, listening.getOption(StandardSocketOptions.SO_REUSEADDR),
                "the listening socket keeps Grizzly's SO_REUSEADDR");
        try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort())) {
            return accepted.get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> options(SocketChannel channel) throws IOException {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("blocking", channel.isBlocking());
        for (SocketOption<?> option : new SocketOption<?>[] {StandardSocketOptions.TCP_NODELAY,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER}) {
            options.put(option.name(), channel.getOption(option));
        }
        return options;
    }

    @Test
    void acceptedSocketsAreNonBlockingWithNoDelayOnly() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("blocking", false);
        expected.put("TCP_NODELAY", true);
        expected.put("SO_KEEPALIVE", false); // Grizzly's default configurator turns it on
        expected.put("SO_REUSEADDR", true); // Linux copies it from the listening socket: setting it again was a no-op
        expected.put("SO_LINGER", -1);
        assertEquals(expected, acceptedOptions(-1));
    }

    @Test
    void aLingerSetOnTheTransportIsApplied() throws Exception {
        assertEquals(7, acceptedOptions(7).get("SO_LINGER"));
    }
}
