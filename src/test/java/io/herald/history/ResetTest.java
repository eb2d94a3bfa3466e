package io.herald.history;

import io.herald.embedded.HeraldServer;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client whose id cannot be resumed gets {@code event: reset} first, with the resume position as its id. */
class ResetTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static HeraldServer start(String... config) throws Exception {
        Map<String, String> c = new java.util.HashMap<>(EmbeddedHerald.config(ResetTest.class));
        for (String pair : config) {
            c.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return HeraldServer.start(c);
    }

    @Test
    void idFromBeforeARestartIsUnknownAndResets() throws Exception {
        String oldId;
        try (HeraldServer before = start()) {
            oldId = Http.publish(before.baseUri(), "reset.a", "x", "1");
        }
        try (HeraldServer after = start(); SseClient client = SseClient.open(after.baseUri(),
                "api/events?channel=reset.a", Map.of("Last-Event-ID", oldId))) {
            assertTrue(client.awaitCount("reset", 1, WAIT), client::rawText);
            SseEvent reset = client.events("reset").get(0);
            assertNotEquals(oldId, reset.id());
            assertEquals("{\"reason\":\"unknown-id\",\"resumeFrom\":\"" + reset.id() + "\"}", reset.data());
            assertTrue(client.rawText().contains("id: " + reset.id() + "\nevent: reset\ndata: "));
            // after the reset the stream continues live, and the next event follows the resume position
            String next = Http.publish(after.baseUri(), "reset.a", "x", "2");
            assertTrue(client.awaitCount("x", 1, WAIT));
            assertEquals(List.of("connected", "reset", "x"), client.events().stream().map(SseEvent::type)
                    .filter(type -> !type.equals("heartbeat")).toList());
            assertEquals(next, client.events("x").get(0).id());
        }
    }

    @Test
    void idOlderThanTheHistoryResets() throws Exception {
        try (HeraldServer server = start("herald.history.size=5")) {
            String first = Http.publish(server.baseUri(), "reset.b", "x", "0");
            String head = first;
            for (int i = 1; i < 10; i++) {
                head = Http.publish(server.baseUri(), "reset.b", "x", String.valueOf(i));
            }
            try (SseClient client = SseClient.open(server.baseUri(), "api/events?channel=reset.b",
                    Map.of("Last-Event-ID", first))) {
                assertTrue(client.awaitCount("reset", 1, WAIT), client::rawText);
                assertEquals("{\"reason\":\"expired\",\"resumeFrom\":\"" + head + "\"}",
                        client.events("reset").get(0).data());
                assertEquals(head, client.events("reset").get(0).id());
                assertTrue(client.events("x").isEmpty(), "no partial replay after a reset");
            }
            // an id still inside the history replays exactly the newer events
            String fifth = Http.get(server.baseUri(), "api/channels/reset.b/events").body();
            assertTrue(fifth.contains("\"reset\":false"), fifth);
        }
    }

    @Test
    void garbageIdsResetInsteadOfFailing() throws Exception {
        try (HeraldServer server = start()) {
            for (String bad : List.of("nonsense", "-1", "abc-xyz", "9999999999999999999999")) {
                try (SseClient client = SseClient.open(server.baseUri(), "api/events?channel=reset.c&lastEventId=" + bad)) {
                    assertEquals(200, client.status());
                    assertTrue(client.awaitCount("reset", 1, WAIT), bad + ": " + client.rawText());
                }
            }
        }
    }

    @Test
    void headerWinsOverQueryParameter() throws Exception {
        try (HeraldServer server = start()) {
            String a = Http.publish(server.baseUri(), "reset.d", "x", "\"a\"");
            String b = Http.publish(server.baseUri(), "reset.d", "x", "\"b\"");
            try (SseClient client = SseClient.open(server.baseUri(), "api/events?channel=reset.d&lastEventId=bogus",
                    Map.of("Last-Event-ID", a))) {
                assertTrue(client.awaitCount("x", 1, WAIT), client::rawText);
                Thread.sleep(200);
                assertEquals(List.of(b), client.events("x").stream().map(SseEvent::id).toList());
                assertTrue(client.events("reset").isEmpty());
            }
            try (SseClient client = SseClient.open(server.baseUri(), "api/events?channel=reset.d&lastEventId=" + a)) {
                assertTrue(client.awaitCount("x", 1, WAIT), client::rawText);
                assertEquals("b", client.events("x").get(0).data());
            }
        }
    }
}
