package io.herald.embedded;

import org.glassfish.grizzly.nio.ChannelConfigurator;
import org.glassfish.grizzly.nio.NIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/**
 * The options Herald sets on each socket the embedded server accepts: non-blocking, {@code TCP_NODELAY} (and
 * {@code SO_LINGER} if the transport has one). Grizzly's default configurator also sets {@code SO_REUSEADDR}, which
 * means nothing on an accepted socket, and {@code SO_KEEPALIVE}, whose first probe comes after two idle hours: a
 * stream is never idle that long (heartbeats), and an idle keep-alive connection is closed by Grizzly's idle timeout
 * well before. Two system calls, and the JDK's option checks around each, saved on every connect
 * (docs/performance.md, twelfth round). The listening socket keeps Grizzly's configuration.
 */
final class AcceptedSocketOptions implements ChannelConfigurator {

    private final ChannelConfigurator listening;

    private AcceptedSocketOptions(ChannelConfigurator listening) {
        this.listening = listening;
    }

    /** Installs itself on the transport, keeping the transport's own configurator for its listening socket. */
    static void install(TCPNIOTransport transport) {
        transport.setChannelConfigurator(new AcceptedSocketOptions(transport.getChannelConfigurator()));
    }

    @Override
    public void preConfigure(NIOTransport transport, SelectableChannel channel) throws IOException {
        if (channel instanceof SocketChannel socket) {
            socket.configureBlocking(false);
        } else {
            listening.preConfigure(transport, channel);
        }
    }

    @Override
    public void postConfigure(NIOTransport transport, SelectableChannel channel) throws IOException {
        if (channel instanceof SocketChannel socket) {
            TCPNIOTransport tcp = (TCPNIOTransport) transport;
            if (tcp.isTcpNoDelay()) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (tcp.getLinger() >= 0) {
                socket.setOption(StandardSocketOptions.SO_LINGER, tcp.getLinger());
            }
        } else {
            listening.postConfigure(transport, channel);
        }
    }
}
