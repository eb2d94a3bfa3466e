package io.herald.delivery;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
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
        SseClient client = SseClient.open(base, "api/events?channel=hb.b");
        String id = client.clientId();
        assertEquals(200, Http.get(base, "api/clients/" + id).statusCode());
        client.close();
        long closedAt = System.nanoTime();
        assertTrue(SlowClientTest.waitFor(() -> Http.get(base, "api/clients/" + id).statusCode() == 404,
                Duration.ofMillis(2500)), "client still registered after 2.5 s");
        long removedMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertTrue(removedMs <= 1500, "removed after " + removedMs + " ms; heartbeat interval is 1000 ms");
    }
}
