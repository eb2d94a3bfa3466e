package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's publisher against a server that closes kept-alive connections soon after each answer. */
class PublisherTest {

    /**
     * Answers every request {@code 200} and keeps the connection alive, then closes it {@code idleMillis} later, as
     * Grizzly does after its keep-alive timeout (30 s) to a connection that sent nothing more.
     */
    private static final class ClosingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();

        ClosingServer(long idleMillis) throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        answerOne(s.getInputStream(), s.getOutputStream());
                        Thread.sleep(idleMillis);
                    } catch (IOException | InterruptedException e) {
                        return; // closed by the test
                    }
                }
            }, "closing-server");
            t.setDaemon(true);
            t.start();
        }

        private void answerOne(InputStream in, OutputStream out) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.toLowerCase().indexOf("content-length:");
            int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
            in.readNBytes(length);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            answered.incrementAndGet();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedWithoutLosingAPublish() throws Exception {
        try (ClosingServer server = new ClosingServer(100);
             LoadGen lg = new LoadGen(Target.of("plain", "http://127.0.0.1:" + server.socket.getLocalPort()), 1,
                     new LoadGen.Options())) {
            lg.startPublishing(4, new int[]{0}, 4); // one every 250 ms: each finds its connection closed
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!lg.publishIdle() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(lg.publishIdle(), "all four publishes answered or failed within 10 s");
            assertEquals(0L, (long) lg.call(() -> lg.publishErrors), "publishes lost on closed connections");
            assertEquals(4L, (long) lg.call(() -> lg.publishAcked));
            assertEquals(4, server.answered.get());
            assertEquals(4, server.connections.get(), "one connection per publish: each was closed while idle");
        }
    }
}
