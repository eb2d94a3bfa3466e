package io.herald.transport;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch windows: events on batched channels published within one window reach each connection as one
 * {@code event: batch} holding only what that connection may see, with the last event's id, in hub order with
 * the connection's other events; a resume from a batch's id misses nothing and doubles nothing.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.batch.channels=batch.**, ticks.*", "herald.batch.window-ms=400"})
class BatchingTest {

    @Test
    void eventsWithinOneWindowArriveAsOneBatchWithTheLastId(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=batch.one")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                ids.add(Http.publish(base, "batch.one", "price", "{\"n\":" + i + "}"));
            }
            assertTrue(client.awaitCount("batch", 1, Duration.ofSeconds(5)), "a batch arrives after the window");
            Thread.sleep(600); // longer than a window: nothing else may follow
            List<SseEvent> batches = client.events("batch");
            assertEquals(1, batches.size(), client.rawText());
            assertEquals(ids.get(4), batches.get(0).id(), "the batch's id is its last event's");
            JsonArray items = array(batches.get(0).data());
            assertEquals(5, items.size());
            for (int i = 0; i < 5; i++) {
                JsonObject item = items.getJsonObject(i);
                assertEquals(ids.get(i), item.getString("id"));
                assertEquals("batch.one", item.getString("channel"));
                assertEquals("price", item.getString("event"));
                assertEquals(i + 1, item.getJsonObject("data").getInt("n"));
            }
            assertEquals(0, client.events("price").size(), "no event went out on its own");
        }
    }

    @Test
    void aBatchHoldsOnlyWhatThisConnectionMaySee(URI base) throws Exception {
        try (SseClient anonymous = SseClient.open(base, "api/events?channel=ticks.a&event=quote")) {
            assertTrue(anonymous.awaitCount("connected", 1, Duration.ofSeconds(5)));
            String first = Http.publish(base, "ticks.a", "quote", "1");
            Http.publish(base, "ticks.a", "trade", "2"); // filtered out by event type
            var hidden = Http.post(base, "api/channels/ticks.a/events",
                    "{\"event\":\"quote\",\"data\":3,\"private\":true}"); // private: never to an anonymous stream
            assertEquals(201, hidden.statusCode(), hidden.body());
            String last = Http.publish(base, "ticks.a", "quote", "4");
            Http.publish(base, "ticks.a", "trade", "5");
            assertTrue(anonymous.awaitCount("batch", 1, Duration.ofSeconds(5)));
            Thread.sleep(600);
            assertEquals(1, anonymous.events("batch").size(), anonymous.rawText());
            SseEvent batch = anonymous.events("batch").get(0);
            JsonArray items = array(batch.data());
            assertEquals(2, items.size(), batch.data());
            assertEquals(first, items.getJsonObject(0).getString("id"));
            assertEquals(last, items.getJsonObject(1).getString("id"));
            assertEquals(last, batch.id(), "the id of the last event this connection may see");
        }
    }

    @Test
    void batchesKeepHubOrderWithUnbatchedChannelsAndResumeExactly(URI base) throws Exception {
        List<String> ids = new ArrayList<>();
        String lastId;
        try (SseClient client = SseClient.open(base, "api/events?channel=batch.two&channel=plain.two")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            ids.add(Http.publish(base, "batch.two", null, "\"b1\""));
            ids.add(Http.publish(base, "batch.two", null, "\"b2\""));
            ids.add(Http.publish(base, "plain.two", null, "\"p3\"")); // sends the gathered batch first
            ids.add(Http.publish(base, "batch.two", null, "\"b4\""));
            assertTrue(client.await(list -> list.stream().filter(e -> e.type().equals("batch")).count() == 2,
                    Duration.ofSeconds(5)), client.rawText());
            List<SseEvent> wire = client.events().stream().filter(e -> e.id() != null).toList();
            assertEquals(List.of("batch", "message", "batch"), wire.stream().map(SseEvent::type).toList());
            assertEquals(List.of(ids.get(1), ids.get(2), ids.get(3)), wire.stream().map(SseEvent::id).toList(),
                    "ids strictly in hub order");
            assertEquals(2, array(wire.get(0).data()).size());
            lastId = client.lastEventId();
            assertEquals(ids.get(3), lastId);
        }
        String after = Http.publish(base, "batch.two", null, "\"b5\"");
        try (SseClient resumed = SseClient.open(base, "api/events?channel=batch.two&channel=plain.two",
                Map.of("Last-Event-ID", ids.get(1)))) {
            // resuming from the first batch's id replays exactly what followed it
            // (the test client, like a browser, reports the resume id on events without one, such as connected)
            assertTrue(resumed.await(list -> list.stream().filter(BatchingTest::replayed).count() >= 3,
                    Duration.ofSeconds(5)), resumed.rawText());
            List<String> replayed = resumed.events().stream().filter(BatchingTest::replayed)
                    .map(SseEvent::id).toList();
            assertEquals(List.of(ids.get(2), ids.get(3), after), replayed);
        }
    }

    /** Not the connected event, nor a heartbeat (which may come at any time). */
    private static boolean replayed(SseEvent e) {
        return !e.type().equals("connected") && !e.type().equals("heartbeat");
    }

    private static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }
}
