package io.herald.channel;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Patterns, event-type filters and at-most-once delivery over a real stream. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.heartbeat.interval-ms=60000"})
class RoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static List<String> dataOf(SseClient c) {
        return c.events().stream().filter(e -> !e.type().equals("connected") && !e.type().equals("heartbeat"))
                .map(SseEvent::data).toList();
    }

    @Test
    void patternsMatchOneOrManySegmentsIncludingChannelsCreatedLater(URI base) throws Exception {
        try (SseClient one = SseClient.open(base, "api/events?channel=orders.*");
             SseClient many = SseClient.open(base, "api/events?channel=orders.**");
             SseClient mid = SseClient.open(base, "api/events?channels=orders.*.paid")) {
            for (SseClient c : List.of(one, many, mid)) {
                assertTrue(c.awaitCount("connected", 1, WAIT));
            }
            Http.publish(base, "orders", "o", "\"root\"");
            Http.publish(base, "orders.brand-new-1", "o", "\"new\"");
            Http.publish(base, "orders.eu.paid", "o", "\"deep\"");
            Http.publish(base, "ordersx.eu", "o", "\"other\"");
            Http.publish(base, "orders.last", "o", "\"end\"");
            assertTrue(one.awaitCount("o", 2, WAIT));
            assertTrue(many.awaitCount("o", 3, WAIT));
            assertTrue(mid.awaitCount("o", 1, WAIT));
            Thread.sleep(200);
            assertEquals(List.of("new", "end"), dataOf(one));
            assertEquals(List.of("new", "deep", "end"), dataOf(many));
            assertEquals(List.of("deep"), dataOf(mid));
        }
    }

    @Test
    void anEventReachesAConnectionAtMostOnce(URI base) throws Exception {
        try (SseClient c = SseClient.open(base,
                "api/events?channel=once.a&channel=once.*&channel=once.**&channels=once.a,once.b")) {
            assertTrue(c.awaitCount("connected", 1, WAIT));
            Http.publish(base, "once.a", "x", "1");
            var batch = Http.post(base, "api/events",
                    "[{\"channels\":[\"once.a\",\"once.b\",\"once.c.d\"],\"event\":\"x\",\"data\":2}]");
            assertEquals(201, batch.statusCode(), batch.body());
            assertTrue(batch.body().contains("\"subscribers\":1"), batch.body());
            Http.publish(base, "once.b", "x", "3");
            assertTrue(c.awaitCount("x", 3, WAIT));
            Thread.sleep(200);
            assertEquals(List.of("1", "2", "3"), dataOf(c));
            assertEquals(3, c.events("x").stream().map(SseEvent::id).distinct().count());
        }
    }

    @Test
    void eventTypeFilterNarrowsTheStream(URI base) throws Exception {
        try (SseClient prices = SseClient.open(base, "api/events?channel=market&event=price&event=alert");
             SseClient all = SseClient.open(base, "api/events?channel=market&events=news,message")) {
            assertTrue(prices.awaitCount("connected", 1, WAIT));
            assertTrue(all.awaitCount("connected", 1, WAIT));
            Http.publish(base, "market", "price", "1");
            Http.publish(base, "market", "news", "2");
            Http.publish(base, "market", null, "3");
            Http.publish(base, "market", "alert", "4");
            assertTrue(prices.awaitCount("alert", 1, WAIT));
            assertTrue(all.awaitCount("message", 1, WAIT));
            Thread.sleep(200);
            assertEquals(List.of("1", "4"), dataOf(prices));
            assertEquals(List.of("2", "3"), dataOf(all));
        }
    }

    @Test
    void publishAnswersTheSubscriberCount(URI base) throws Exception {
        try (SseClient a = SseClient.open(base, "api/events?channel=count.x");
             SseClient b = SseClient.open(base, "api/events?channel=count.*")) {
            assertTrue(a.awaitCount("connected", 1, WAIT));
            assertTrue(b.awaitCount("connected", 1, WAIT));
            var r = Http.post(base, "api/channels/count.x/events", "{\"data\":1}");
            assertEquals(201, r.statusCode());
            assertTrue(r.body().matches("\\{\"id\":\"[^\"]+\",\"channel\":\"count.x\",\"subscribers\":2}"), r.body());
        }
    }
}
