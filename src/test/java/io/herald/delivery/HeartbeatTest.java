package io.herald.delivery;

import io.herald.testing.Await;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats at a 1 s interval, never with an id; a client that went away is removed within one heartbeat. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.heartbeat.interval-ms=1000"})
class HeartbeatTest {

    @Test
    void fiveHeartbeatsInFiveSecondsWithoutIds(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=hb.a")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            long start = System.nanoTime();
            Thread.sleep(5000);
            int beats = client.events("heartbeat").size();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(beats >= 4 && beats <= 6, beats + " heartbeats in " + elapsedMs + " ms");
            assertFalse(client.rawText().contains("id:"), "heartbeats never carry an id");
            assertTrue(client.events("heartbeat").get(0).data().matches("\\{\"time\":\\d{13}}"),
                    client.events("heartbeat").get(0).data());
        }
    }

    @Test
    void disconnectedClientIsRemovedWithinOneHeartbeat(URI base) throws Exception {
        String id;
        java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
        try (socket) {
            socket.getOutputStream().write(("GET /api/events?channel=hb.b HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\nUser-Agent: leaving\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readUntil(socket.getInputStream(), "\"clientId\":\"");
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            id = new String(socket.getInputStream().readNBytes(16), StandardCharsets.US_ASCII);
            assertEquals(200, Http.get(base, "api/clients/" + id).statusCode());
        }
        long closedAt = System.nanoTime();
        assertTrue(Await.until(() -> Http.get(base, "api/clients/" + id).statusCode() == 404,
                Duration.ofMillis(3000)), "client still registered 3 s after it closed");
        long removedMs = (System.nanoTime() - closedAt) / 1_000_000;
        // one interval (1000 ms) plus the 100 ms probe, with 500 ms of slack for a loaded machine
        assertTrue(removedMs <= 1600, "removed after " + removedMs + " ms; heartbeat interval is 1000 ms");
    }

    private static String readUntil(java.io.InputStream in, String marker) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith(marker)) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("stream ended before " + marker + ": " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
