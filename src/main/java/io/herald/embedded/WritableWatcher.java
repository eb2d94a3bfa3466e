package io.herald.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells a {@link DirectOutbound} when its socket can take more bytes: one thread and one selector of Herald's own,
 * watching only the sockets that could not take a whole write (Grizzly's selector keeps watching them for reads).
 */
final class WritableWatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(WritableWatcher.class.getName());

    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    WritableWatcher() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this, "herald-writable");
        thread.setDaemon(true);
        thread.start();
    }

    /** Calls {@code out.writable()} once the channel can be written again. */
    void arm(SocketChannel channel, DirectOutbound out) {
        try {
            SelectionKey key = channel.keyFor(selector);
            if (key == null) {
                channel.register(selector, SelectionKey.OP_WRITE, out);
            } else {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            selector.wakeup();
        } catch (ClosedChannelException | CancelledKeyException e) {
            out.writable(); // the next write finds the channel closed and ends the stream
        }
    }

    /**
     * Forgets the channel. The selector must run once to drop a cancelled key: until then the JDK defers closing the
     * socket, so a stream that is cut off would stay open on the wire.
     */
    void disarm(SocketChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        if (key != null) {
            key.cancel();
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(key -> {
                    try {
                        key.interestOps(0);
                    } catch (CancelledKeyException e) {
                        // closed meanwhile
                    }
                    ((DirectOutbound) key.attachment()).writable();
                });
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Writable watcher failed", e);
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(1000);
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "Closing the writable selector", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
