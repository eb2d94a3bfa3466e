package io.herald.poll;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON polling fallback, per channel and across channels. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.poll.max-wait-seconds=5"})
class PollingTest {

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static JsonObject get(URI base, String path) throws Exception {
        var r = Http.get(base, path);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body());
    }

    @Test
    void noAfterStartsAtTheNewestWithoutBacklog(URI base) throws Exception {
        String last = Http.publish(base, "poll.a", "x", "1");
        JsonObject first = get(base, "api/channels/poll.a/events");
        assertEquals(0, first.getJsonArray("events").size());
        assertEquals(last, first.getString("lastEventId"));
        assertFalse(first.getBoolean("reset"));
        String a = Http.publish(base, "poll.a", "x", "{\"n\":2}");
        Http.publish(base, "poll.other", "x", "3");
        String b = Http.publish(base, "poll.a", null, "\"four\"");
        JsonObject next = get(base, "api/channels/poll.a/events?after=" + last);
        assertEquals(2, next.getJsonArray("events").size());
        JsonObject e0 = next.getJsonArray("events").getJsonObject(0);
        assertEquals(a, e0.getString("id"));
        assertEquals("x", e0.getString("event"));
        assertEquals(2, e0.getJsonObject("data").getInt("n"));
        assertEquals("message", next.getJsonArray("events").getJsonObject(1).getString("event"));
        assertEquals("four", next.getJsonArray("events").getJsonObject(1).getString("data"));
        assertEquals(b, next.getString("lastEventId"));
    }

    @Test
    void longPollWaitsForTheNextEvent(URI base) throws Exception {
        String head = get(base, "api/channels/poll.b/events").getString("lastEventId");
        long start = System.nanoTime();
        CompletableFuture<JsonObject> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return get(base, "api/channels/poll.b/events?wait=5&after=" + head);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "the poll waits");
        String id = Http.publish(base, "poll.b", "x", "\"late\"");
        JsonObject answer = waiting.get(5, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(id, answer.getJsonArray("events").getJsonObject(0).getString("id"));
        assertEquals(id, answer.getString("lastEventId"));
        assertTrue(tookMs < 3000, "answered " + tookMs + " ms after it started");
    }

    @Test
    void longPollEndsEmptyWhenTheWaitRunsOut(URI base) throws Exception {
        String head = get(base, "api/channels/poll.c/events").getString("lastEventId");
        long start = System.nanoTime();
        JsonObject answer = get(base, "api/channels/poll.c/events?wait=1&after=" + head);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, answer.getJsonArray("events").size());
        assertTrue(tookMs >= 900 && tookMs < 4000, "waited " + tookMs + " ms");
    }

    @Test
    void unknownAfterAnswersReset(URI base) throws Exception {
        JsonObject answer = get(base, "api/channels/poll.d/events?after=unknown-7");
        assertTrue(answer.getBoolean("reset"));
        assertEquals(0, answer.getJsonArray("events").size());
        assertFalse(answer.getString("lastEventId").isEmpty());
    }

    @Test
    void pollAllTakesEveryStreamParameter(URI base) throws Exception {
        String head = get(base, "api/events/poll?channel=pa.x").getString("lastEventId");
        Http.publish(base, "pa.x", "keep", "1");
        Http.publish(base, "pa.deep.y", "keep", "2");
        Http.publish(base, "pb.z", "keep", "3");
        Http.publish(base, "pa.x", "drop", "4");
        Http.publish(base, "pc", "keep", "5");
        JsonObject answer = get(base, "api/events/poll?channel=pa.**&channels=pc&event=keep&after=" + head);
        var events = answer.getJsonArray("events");
        assertEquals(3, events.size(), answer.toString());
        assertEquals("pa.x", events.getJsonObject(0).getString("channel"));
        assertEquals("pa.deep.y", events.getJsonObject(1).getString("channel"));
        assertEquals("pc", events.getJsonObject(2).getString("channel"));
    }
}
