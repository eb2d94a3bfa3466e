package io.herald.delivery;

import io.herald.testing.Await;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that never reads, with a tiny receive buffer, is dropped and counted, while a healthy client on the
 * same channel gets all 5,000 events published meanwhile, promptly.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.client.queue-size=2048", "herald.heartbeat.interval-ms=60000", "herald.publish.max-bytes=1048576"})
class SlowClientTest {

    @Test
    void stalledClientIsDroppedAndOthersKeepUp(URI base) throws Exception {
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/events?channel=slow.feed HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nUser-Agent: stalled\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // it never reads a byte from here on
            try (SseClient healthy = SseClient.open(base, "api/events?channel=slow.feed")) {
                assertTrue(healthy.awaitCount("connected", 1, Duration.ofSeconds(5)));
                assertTrue(Await.until(() -> clients(base).contains("stalled"), Duration.ofSeconds(5)),
                        "the stalled client is registered");
                String payload = "\"" + "x".repeat(2000) + "\"";
                StringBuilder batch = new StringBuilder();
                long publishStart = System.nanoTime();
                for (int i = 0; i < 5000; i += 50) {
                    batch.setLength(0);
                    batch.append('[');
                    for (int k = 0; k < 50; k++) {
                        batch.append(k == 0 ? "" : ",").append("{\"channel\":\"slow.feed\",\"event\":\"n\",\"data\":{\"i\":")
                                .append(i + k).append(",\"pad\":").append(payload).append("}}");
                    }
                    var r = Http.post(base, "api/events", batch.append(']').toString());
                    assertEquals(201, r.statusCode(), r.body());
                }
                long publishedAt = System.nanoTime();
                assertTrue(healthy.awaitCount("n", 5000, Duration.ofSeconds(20)),
                        "healthy client got " + healthy.events("n").size() + " of 5000");
                long caughtUpMs = (System.nanoTime() - publishedAt) / 1_000_000;
                List<SseEvent> got = healthy.events("n");
                for (int i = 0; i < 5000; i++) {
                    assertTrue(got.get(i).data().startsWith("{\"i\":" + i + ","), "in order at " + i);
                }
                assertTrue(caughtUpMs < 5000, "healthy client caught up " + caughtUpMs + " ms after the last publish"
                        + " (publishing took " + (publishedAt - publishStart) / 1_000_000 + " ms)");
                assertTrue(Await.until(() -> !clients(base).contains("stalled"), Duration.ofSeconds(10)),
                        "the stalled client was dropped");
                String stats = Http.get(base, "api/stats").body();
                assertTrue(stats.contains("\"slowClientsDropped\":1"), stats);
            }
        }
    }

    private static String clients(URI base) throws Exception {
        return Http.get(base, "api/clients").body();
    }
}
