package io.herald.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a server whose open event streams can be frozen: they stay open but carry nothing
 * more, as behind a stalled proxy or a dead network path. Other connections (a browser's idle keep-alive ones)
 * and connections made after {@link #freeze()} work normally.
 */
public final class FreezableRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    public FreezableRelay(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** Every event stream open now stops carrying bytes, both ways, and is never closed by the relay. */
    public void freeze() {
        for (Pipe p : pipes) {
            if (p.streaming) {
                p.frozen = true;
                p.peer.frozen = true;
            }
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                Pipe up = pipe(client, server);
                Pipe down = pipe(server, client);
                up.peer = down;
                down.peer = up;
            } catch (IOException e) {
                return;
            }
        }
    }

    private Pipe pipe(Socket from, Socket to) {
        Pipe p = new Pipe(from, to);
        pipes.add(p);
        Thread t = new Thread(p, "relay-pipe");
        t.setDaemon(true);
        t.start();
        return p;
    }

    private static final class Pipe implements Runnable {
        final Socket from;
        final Socket to;
        volatile boolean frozen;
        volatile boolean streaming;
        volatile Pipe peer;

        Pipe(Socket from, Socket to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) != -1) {
                    if (!streaming && new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains("text/event-stream")) {
                        streaming = true;
                    }
                    while (frozen && !from.isClosed()) {
                        Thread.sleep(50);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                closeQuietly(to);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Pipe p : pipes) {
            closeQuietly(p.from);
            closeQuietly(p.to);
        }
    }
}
