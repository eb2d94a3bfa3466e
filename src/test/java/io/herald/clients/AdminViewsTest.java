package io.herald.clients;

import io.herald.testing.Await;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client registry, per-client sends, disconnects, stats, and the connection cap. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.max-connections=3", "herald.unavailable.retry-ms=7000", "herald.heartbeat.interval-ms=1000"})
class AdminViewsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void clientsSendsDisconnectsAndStats(URI base) throws Exception {
        try (SseClient a = SseClient.open(base, "api/events?channel=adm.a&event=note", Map.of("User-Agent", "agent-a"));
             SseClient b = SseClient.open(base, "api/events?channel=adm.*")) {
            String aId = a.clientId();
            String bId = b.clientId();
            JsonObject details = json(Http.get(base, "api/clients/" + aId).body());
            assertEquals(aId, details.getString("clientId"));
            assertEquals("agent-a", details.getString("userAgent"));
            assertEquals("127.0.0.1", details.getString("remoteAddress"));
            assertEquals("adm.a", details.getJsonArray("channels").getString(0));
            assertEquals("note", details.getJsonArray("events").getString(0));
            assertTrue(details.containsKey("connectedAt") && details.containsKey("eventsSent")
                    && details.containsKey("queueDepth"));
            assertEquals(2, json(Http.get(base, "api/clients").body()).getInt("count"));
            assertEquals(2, json(Http.get(base, "api/channels/adm.a/subscribers").body()).getInt("count"));

            var sent = Http.post(base, "api/clients/" + bId + "/events", "{\"event\":\"private\",\"data\":{\"only\":\"b\"}}");
            assertEquals(201, sent.statusCode(), sent.body());
            assertTrue(b.awaitCount("private", 1, WAIT));
            assertEquals("{\"only\":\"b\"}", b.events("private").get(0).data());
            Http.publish(base, "adm.a", "note", "1");
            assertTrue(a.awaitCount("note", 1, WAIT));
            assertTrue(a.events("private").isEmpty(), "a per-client send reaches only its client");

            var channels = json(Http.get(base, "api/channels").body()).getJsonArray("channels");
            assertTrue(channels.stream().anyMatch(c -> c.asJsonObject().getString("name").equals("adm.a")
                    && c.asJsonObject().getInt("subscribers") == 2), channels.toString());

            assertEquals(204, Http.delete(base, "api/clients/" + aId).statusCode());
            assertTrue(a.awaitEnd(WAIT), "the disconnected stream ends");
            assertEquals(404, Http.get(base, "api/clients/" + aId).statusCode());
            JsonObject stats = json(Http.get(base, "api/stats").body());
            assertEquals(1, stats.getInt("connections"));
            assertTrue(stats.getJsonNumber("eventsPublished").longValue() >= 2);
            assertTrue(stats.getJsonNumber("eventsDelivered").longValue() >= 3);
            assertTrue(stats.containsKey("uptimeMs") && stats.containsKey("slowClientsDropped")
                    && stats.containsKey("resets") && stats.containsKey("channels"));
        }
    }

    @Test
    void overTheCapAStreamIsToldToComeBackLater(URI base) throws Exception {
        // streams of other tests end once a heartbeat finds them closed
        assertTrue(Await.until(
                () -> json(Http.get(base, "api/stats").body()).getInt("connections") == 0, WAIT));
        try (SseClient one = SseClient.open(base, "api/events?channel=cap.a");
             SseClient two = SseClient.open(base, "api/events?channel=cap.a");
             SseClient three = SseClient.open(base, "api/events?channel=cap.a")) {
            one.clientId();
            two.clientId();
            three.clientId();
            try (SseClient refused = SseClient.open(base, "api/events?channel=cap.a")) {
                assertEquals(200, refused.status(), "EventSource would give up for good on anything but 200");
                assertTrue(refused.awaitEnd(WAIT), "the refused stream ends");
                assertEquals("retry: 7000\n\nevent: unavailable\ndata: {\"reason\":\"capacity\",\"retryMs\":7000}\n\n",
                        refused.rawText());
            }
            Http.publish(base, "cap.a", "x", "1");
            assertTrue(three.awaitCount("x", 1, WAIT), "the others keep streaming");
        }
    }
}
