package io.herald.publish;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets a JSON error with the right status, and nothing of it reaches a subscriber. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.publish.max-bytes=1024", "herald.heartbeat.interval-ms=60000"})
class BadInputTest {

    record Case(String name, String method, String path, Map<String, String> headers, String body, int status,
                String error) {
    }

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final String P = "api/channels/bad.target/events";

    static List<Case> cases() {
        List<Case> cases = new java.util.ArrayList<>(List.of(
                new Case("malformed JSON", "POST", P, JSON, "{\"data\": ", 400, "invalid_json"),
                new Case("not JSON at all", "POST", P, JSON, "hello", 400, "invalid_json"),
                new Case("empty body", "POST", P, JSON, "", 400, "invalid_json"),
                new Case("missing data", "POST", P, JSON, "{\"event\":\"x\"}", 400, "missing_data"),
                new Case("array instead of object", "POST", P, JSON, "[1]", 400, "invalid_body"),
                new Case("empty string data", "POST", P, JSON, "{\"data\":\"\"}", 400, "empty_data"),
                new Case("LF in event name", "POST", P, JSON, "{\"event\":\"a\\nb\",\"data\":1}", 400, "invalid_event_name"),
                new Case("CR in event name", "POST", P, JSON, "{\"event\":\"a\\rdata: x\",\"data\":1}", 400, "invalid_event_name"),
                new Case("NUL in event name", "POST", P, JSON, "{\"event\":\"a\\u0000b\",\"data\":1}", 400, "invalid_event_name"),
                new Case("empty event name", "POST", P, JSON, "{\"event\":\"\",\"data\":1}", 400, "invalid_event_name"),
                new Case("non-string event name", "POST", P, JSON, "{\"event\":5,\"data\":1}", 400, "invalid_event"),
                new Case("negative retry", "POST", P, JSON, "{\"retry\":-1,\"data\":1}", 400, "invalid_retry"),
                new Case("fractional retry", "POST", P, JSON, "{\"retry\":1.5,\"data\":1}", 400, "invalid_retry"),
                new Case("oversized body", "POST", P, JSON, "{\"data\":\"" + "x".repeat(2000) + "\"}", 413, "payload_too_large"),
                new Case("text/plain body", "POST", P, Map.of("Content-Type", "text/plain"), "{\"data\":1}", 415, "unsupported_media_type"),
                new Case("form body", "POST", P, Map.of("Content-Type", "application/x-www-form-urlencoded"), "data=1", 415, "unsupported_media_type"),
                new Case("channel with empty segment", "POST", "api/channels/bad..target/events", JSON, "{\"data\":1}", 400, "invalid_channel"),
                new Case("channel with a space", "POST", "api/channels/bad%20target/events", JSON, "{\"data\":1}", 400, "invalid_channel"),
                new Case("channel with a wildcard", "POST", "api/channels/bad.*/events", JSON, "{\"data\":1}", 400, "invalid_channel"),
                new Case("channel with non-ASCII", "POST", "api/channels/b%C3%A4d/events", JSON, "{\"data\":1}", 400, "invalid_channel"),
                new Case("channel too long", "POST", "api/channels/" + "a".repeat(129) + "/events", JSON, "{\"data\":1}", 400, "invalid_channel"),
                new Case("batch not an array", "POST", "api/events", JSON, "{\"channel\":\"bad.target\",\"data\":1}", 400, "invalid_body"),
                new Case("batch item without channel", "POST", "api/events", JSON, "[{\"channel\":\"bad.target\",\"data\":1},{\"data\":2}]", 400, "missing_channel"),
                new Case("batch item with bad channel", "POST", "api/events", JSON, "[{\"channel\":\"bad.target\",\"data\":1},{\"channels\":[\"bad target\"],\"data\":2}]", 400, "invalid_channel"),
                new Case("empty batch", "POST", "api/events", JSON, "[]", 400, "invalid_body"),
                new Case("unknown client: send", "POST", "api/clients/nobody/events", JSON, "{\"data\":1}", 404, "unknown_client"),
                new Case("unknown client: details", "GET", "api/clients/nobody", Map.of(), null, 404, "unknown_client"),
                new Case("unknown client: disconnect", "DELETE", "api/clients/nobody", Map.of(), null, 404, "unknown_client"),
                new Case("wrong method", "PUT", P, JSON, "{\"data\":1}", 405, "method_not_allowed"),
                new Case("unknown path", "GET", "api/nothing-here", Map.of(), null, 404, "not_found"),
                new Case("path not UTF-8", "POST", "api/channels/b%F6d/events", JSON, "{\"data\":1}", 400, "invalid_uri"),
                new Case("NUL in path", "POST", "api/channels/a%00b/events", JSON, "{\"data\":1}", 400, "invalid_uri"),
                new Case("encoded slash in path", "POST", "api/channels/a%2Fb/events", JSON, "{\"data\":1}", 400, "invalid_uri"),
                new Case("stream without text/event-stream", "GET", "api/events?channel=bad.target", Map.of("Accept", "application/json"), null, 406, "not_acceptable"),
                new Case("stream without a channel", "GET", "api/events", Map.of("Accept", "text/event-stream"), null, 400, "missing_channel"),
                new Case("stream with a bad pattern", "GET", "api/events?channel=bad.**.x", Map.of("Accept", "text/event-stream"), null, 400, "invalid_channel"),
                new Case("stream with an empty channel", "GET", "api/events?channel=", Map.of("Accept", "text/event-stream"), null, 400, "invalid_channel"),
                new Case("poll with a bad wait", "GET", "api/channels/bad.target/events?wait=soon", Map.of(), null, 400, "invalid_wait")));
        for (String reserved : EventNames.RESERVED) {
            cases.add(new Case("reserved name " + reserved, "POST", P, JSON,
                    "{\"event\":\"" + reserved + "\",\"data\":1}", 400, "reserved_event_name"));
        }
        return cases;
    }

    @Test
    void everyBadInputIsRefusedAndNeverDelivered(URI base) throws Exception {
        try (SseClient watcher = SseClient.open(base, "api/events?channel=bad.target&channel=bad.**")) {
            assertTrue(watcher.awaitCount("connected", 1, Duration.ofSeconds(5)));
            for (Case c : cases()) {
                HttpResponse<String> r = Http.request(base, c.method(), c.path(), c.headers(), c.body());
                assertEquals(c.status(), r.statusCode(), c.name() + ": " + r.body());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                        c.name() + " answers JSON");
                assertTrue(r.body().contains("\"error\":\"" + c.error() + "\""), c.name() + ": " + r.body());
                assertTrue(r.body().contains("\"message\":"), c.name() + ": " + r.body());
                assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), c.name() + " leaks a trace");
            }
            String sentinel = Http.publish(base, "bad.target", "ok", "\"sentinel\"");
            assertTrue(watcher.awaitCount("ok", 1, Duration.ofSeconds(5)));
            List<SseEvent> delivered = watcher.events().stream()
                    .filter(e -> !e.type().equals("connected") && !e.type().equals("heartbeat")).toList();
            assertEquals(List.of(sentinel), delivered.stream().map(SseEvent::id).toList(),
                    "only the valid event was delivered");
            assertFalse(watcher.rawText().contains("data: x\n"), "no injected field reached the wire");
        }
    }

    @Test
    void theServerKeepsServingAfterBadInput(URI base) throws Exception {
        for (int i = 0; i < 50; i++) {
            Http.request(base, "POST", P, JSON, "{\"data\": [" + "[".repeat(i) );
        }
        assertEquals(201, Http.post(base, P, "{\"data\":1}").statusCode());
    }
}
