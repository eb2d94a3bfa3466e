package io.herald.stream;

import io.herald.testing.Await;
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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream's wire contract: headers, the first bytes, and the exact encoding of events. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.retry-ms=2500", "herald.heartbeat.interval-ms=60000"})
class StreamContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern HEARTBEAT = Pattern.compile("(?m)event: heartbeat\ndata: \\{\"time\":\\d+}\n\n|^:\n");

    /** The raw stream without heartbeats and their probes: each stream's come at its own time in the interval. */
    private static String withoutHeartbeats(String raw) {
        return HEARTBEAT.matcher(raw).replaceAll("");
    }

    @Test
    void headersAndFirstBytesArriveBeforeAnyEvent(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=contract.first&channel=contract.other")) {
            assertEquals(200, client.status());
            assertEquals("text/event-stream;charset=UTF-8", client.header("Content-Type").orElseThrow());
            assertEquals("no-cache, no-store", client.header("Cache-Control").orElseThrow());
            assertEquals("no", client.header("X-Accel-Buffering").orElseThrow());
            assertTrue(client.header("Connection").isEmpty(), "Herald sets no Connection header");
            assertTrue(client.awaitCount("connected", 1, WAIT), "connected event");
            String raw = withoutHeartbeats(client.rawText());
            assertTrue(Pattern.compile("\\Aretry: 2500\n\nevent: connected\ndata: \\{\"clientId\":\"[A-Za-z0-9_-]+\","
                    + "\"channels\":\\[\"contract.first\",\"contract.other\"],\"retryMs\":2500,"
                    + "\"heartbeatIntervalMs\":60000}\n\n\\z").matcher(raw).matches(), raw);
        }
    }

    @Test
    void encodesEventsExactly(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=contract.enc")) {
            assertTrue(client.awaitCount("connected", 1, WAIT));
            String before = withoutHeartbeats(client.rawText());
            String id1 = Http.publish(base, "contract.enc", "quote", "\"line one\\nline two\\r\\nline three\\rfour\"");
            String id2 = Http.publish(base, "contract.enc", null, "{\"price\": 12.5, \"name\": \"Zürich ✓ 😀\"}");
            String id3 = Http.publish(base, "contract.enc", "plain", "\"\"\"\"".substring(0, 0) + "\"x\"");
            String id4 = Http.publish(base, "contract.enc", "arr", "[1, 2, {\"a\": null}]");
            String id5 = Http.publish(base, "contract.enc", "trailing", "\"end\\n\"");
            String expected = "id: " + id1 + "\nevent: quote\ndata: line one\ndata: line two\ndata: line three\ndata: four\n\n"
                    + "id: " + id2 + "\ndata: {\"price\":12.5,\"name\":\"Zürich ✓ 😀\"}\n\n"
                    + "id: " + id3 + "\nevent: plain\ndata: x\n\n"
                    + "id: " + id4 + "\nevent: arr\ndata: [1,2,{\"a\":null}]\n\n"
                    + "id: " + id5 + "\nevent: trailing\ndata: end\ndata: \n\n";
            assertTrue(Await.until(() -> withoutHeartbeats(client.rawText()).contains(expected), WAIT),
                    () -> "got: " + client.rawText());
            assertEquals(before + expected, withoutHeartbeats(client.rawText()));
            List<SseEvent> events = client.events().stream().filter(e -> !e.type().equals("heartbeat")).toList();
            assertEquals("line one\nline two\nline three\nfour", events.get(1).data());
            assertEquals("{\"price\":12.5,\"name\":\"Zürich ✓ 😀\"}", events.get(2).data());
        }
    }

    @Test
    void envelopeWrapsDataWithTheChannel(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=contract.env.*&envelope=true")) {
            assertTrue(client.awaitCount("connected", 1, WAIT));
            String id = Http.publish(base, "contract.env.a", "tick", "\"hello\"");
            assertTrue(client.awaitRaw("id: " + id + "\nevent: tick\ndata: {\"channel\":\"contract.env.a\",\"data\":\"hello\"}\n\n",
                    WAIT), client::rawText);
        }
    }

    @Test
    void retryFieldOfAnEventIsSent(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=contract.retry")) {
            assertTrue(client.awaitCount("connected", 1, WAIT));
            var r = Http.post(base, "api/channels/contract.retry/events", "{\"event\":\"slow\",\"data\":1,\"retry\":9000}");
            assertEquals(201, r.statusCode(), r.body());
            assertTrue(client.awaitRaw("retry: 9000\nid: ", WAIT), client::rawText);
            assertFalse(client.rawText().contains("event: connected\nid:"));
        }
    }
}
