package io.herald.publish;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel publish is served by {@link PublishFilter} when its path is one segment (escapes of a channel name's
 * characters decoded: {@code a%2Eb} is {@code a.b}), and by JAX-RS otherwise (a trailing slash, matrix parameters,
 * other escapes). A client cannot tell them apart: same status, body and headers for every answer, good or bad, and
 * the same events delivered.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.publish.max-bytes=256", "herald.auth.public-channels=", "herald.limits.publish-per-second=0",
        "herald.heartbeat.interval-ms=60000"})
class PublishPathsTest {

    private static final String FAST = "api/channels/paths.a/events";
    private static final String JAX_RS = "api/channels/paths.a/events/";

    record Call(String name, Map<String, String> headers, String body) {
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    private static final String PUBLISHER = "Bearer " + TestTokens.forSubject("pub").publish("paths.*").sign();
    private static final String READER = "Bearer " + TestTokens.forSubject("reader").subscribe("paths.*").sign();
    private static final String EXPIRED = "Bearer " + TestTokens.forSubject("old").publish("paths.*")
            .expiresIn(Duration.ofSeconds(-60)).sign();

    static List<Call> calls() {
        return List.of(
                new Call("good", headers("Authorization", PUBLISHER, "Content-Type", "application/json"),
                        "{\"event\":\"tick\",\"data\":{\"n\":1}}"),
                new Call("good, Accept json", headers("Authorization", PUBLISHER, "Content-Type", "application/json",
                        "Accept", "application/json"), "{\"data\":2}"),
                new Call("no token", headers("Content-Type", "application/json"), "{\"data\":1}"),
                new Call("expired token", headers("Authorization", EXPIRED, "Content-Type", "application/json"),
                        "{\"data\":1}"),
                new Call("garbage token", headers("Authorization", "Bearer not.a.jwt", "Content-Type",
                        "application/json"), "{\"data\":1}"),
                new Call("no publish grant", headers("Authorization", READER, "Content-Type", "application/json"),
                        "{\"data\":1}"),
                new Call("malformed JSON", headers("Authorization", PUBLISHER, "Content-Type", "application/json"),
                        "{\"data\":"),
                new Call("oversized", headers("Authorization", PUBLISHER, "Content-Type", "application/json"),
                        "{\"data\":\"" + "x".repeat(300) + "\"}"),
                new Call("text/plain", headers("Authorization", PUBLISHER, "Content-Type", "text/plain"),
                        "{\"data\":1}"),
                new Call("CR/LF in the event name", headers("Authorization", PUBLISHER, "Content-Type",
                        "application/json"), "{\"event\":\"a\\r\\ndata: x\",\"data\":1}"),
                new Call("reserved event name", headers("Authorization", PUBLISHER, "Content-Type",
                        "application/json"), "{\"event\":\"heartbeat\",\"data\":1}"),
                new Call("Accept without JSON", headers("Authorization", PUBLISHER, "Content-Type",
                        "application/json", "Accept", "text/html"), "{\"data\":1}"));
    }

    /**
     * The types of the published events a stream got: not its {@code connected} event, nor Herald's own heartbeats,
     * which may come at any time (a new stream joins one of the interval's one-second slices). A published event
     * named {@code heartbeat} would still count: its data is the call's, not {@code {"time":...}}.
     */
    private static List<String> published(List<SseEvent> events) {
        return events.stream()
                .filter(e -> !"connected".equals(e.type()))
                .filter(e -> !("heartbeat".equals(e.type()) && e.data().startsWith("{\"time\":")))
                .map(SseEvent::type).toList();
    }

    @Test
    void bothPathsGiveTheSameAnswersAndDeliverTheSameEvents(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=paths.a",
                Map.of("Authorization", READER))) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)), client::rawText);
            int delivered = 0;
            for (Call call : calls()) {
                HttpResponse<String> fast = Http.raw(base, "POST", FAST, call.headers(), call.body());
                HttpResponse<String> jaxrs = Http.raw(base, "POST", JAX_RS, call.headers(), call.body());
                assertEquals(jaxrs.statusCode(), fast.statusCode(), call.name() + ": status");
                assertEquals(header(jaxrs, "Content-Type"), header(fast, "Content-Type"), call.name() + ": type");
                assertEquals(header(jaxrs, "WWW-Authenticate"), header(fast, "WWW-Authenticate"),
                        call.name() + ": WWW-Authenticate");
                assertEquals(header(jaxrs, "Retry-After"), header(fast, "Retry-After"), call.name() + ": Retry-After");
                if (fast.statusCode() == 201) {
                    delivered += 2;
                    String id = fast.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                    assertEquals("{\"id\":\"" + id + "\",\"channel\":\"paths.a\",\"subscribers\":1}", fast.body(),
                            call.name());
                    assertEquals(fast.body().replace(id, "ID"),
                            jaxrs.body().replace(jaxrs.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"), "ID"),
                            call.name() + ": body");
                } else {
                    assertEquals(jaxrs.body(), fast.body(), call.name() + ": body");
                    assertTrue(fast.body().startsWith("{\"error\":"), call.name() + ": " + fast.body());
                }
            }
            assertEquals(4, delivered, "the two good calls, on both paths");
            int expected = delivered;
            assertTrue(client.await(l -> published(l).size() >= expected,
                    Duration.ofSeconds(5)), client::rawText);
            Thread.sleep(300); // a refused publish must never show up, not even late
            assertEquals(List.of("tick", "tick", "message", "message"), published(client.events()), client::rawText);
            assertFalse(client.rawText().contains("data: x"), "nothing of a refused publish reached the stream");
        }
    }

    @Test
    void batchesGetTheSameAnswersOnBothPaths(URI base) throws Exception {
        // with a trailing slash the request is not /api/events to the filter, and JAX-RS serves it
        String fastPath = "api/events";
        String jaxRsPath = "api/events/";
        String good = "[{\"channel\":\"paths.b\",\"event\":\"x\",\"data\":1},"
                + "{\"channels\":[\"paths.b\",\"paths.c\"],\"data\":2}]";
        List<Call> calls = List.of(
                new Call("good batch", headers("Authorization", PUBLISHER, "Content-Type", "application/json"), good),
                new Call("no token", headers("Content-Type", "application/json"), good),
                new Call("no publish grant", headers("Authorization", READER, "Content-Type", "application/json"),
                        good),
                new Call("one item outside the grant", headers("Authorization", PUBLISHER, "Content-Type",
                        "application/json"), "[{\"channel\":\"paths.b\",\"data\":1},{\"channel\":\"other\",\"data\":2}]"),
                new Call("malformed", headers("Authorization", PUBLISHER, "Content-Type", "application/json"), "[{"),
                new Call("empty batch", headers("Authorization", PUBLISHER, "Content-Type", "application/json"), "[]"),
                new Call("not an array", headers("Authorization", PUBLISHER, "Content-Type", "application/json"),
                        "{\"channel\":\"paths.b\",\"data\":1}"));
        try (SseClient client = SseClient.open(base, "api/events?channel=paths.b", Map.of("Authorization", READER))) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)), client::rawText);
            for (Call call : calls) {
                HttpResponse<String> fast = Http.raw(base, "POST", fastPath, call.headers(), call.body());
                HttpResponse<String> jaxrs = Http.raw(base, "POST", jaxRsPath, call.headers(), call.body());
                assertEquals(jaxrs.statusCode(), fast.statusCode(), call.name() + ": status " + jaxrs.body());
                assertEquals(header(jaxrs, "Content-Type"), header(fast, "Content-Type"), call.name() + ": type");
                assertEquals(header(jaxrs, "WWW-Authenticate"), header(fast, "WWW-Authenticate"), call.name());
                assertEquals(jaxrs.body().replaceAll("\"id\":\"[^\"]+\"", "\"id\":\"ID\""),
                        fast.body().replaceAll("\"id\":\"[^\"]+\"", "\"id\":\"ID\""), call.name() + ": body");
            }
            assertEquals("{\"events\":[{\"id\":\"ID\",\"channels\":[\"paths.b\"],\"subscribers\":1},"
                            + "{\"id\":\"ID\",\"channels\":[\"paths.b\",\"paths.c\"],\"subscribers\":1}]}",
                    Http.raw(base, "POST", fastPath, calls.get(0).headers(), good).body()
                            .replaceAll("\"id\":\"[^\"]+\"", "\"id\":\"ID\""));
            // the good batch three times (twice above, once just now), two events each; nothing of the refused ones
            assertTrue(client.await(l -> published(l).size() >= 6,
                    Duration.ofSeconds(5)), client::rawText);
            Thread.sleep(300);
            assertEquals(List.of("x", "message", "x", "message", "x", "message"), published(client.events()),
                    client::rawText);
        }
    }

    @Test
    void theFastPathTakesOnlyAPlainChannelAndJsonAnswers() {
        assertTrue(PublishFilter.acceptsJson(null));
        assertTrue(PublishFilter.acceptsJson("application/json"));
        assertTrue(PublishFilter.acceptsJson("text/html, */*;q=0.8"));
        assertTrue(PublishFilter.acceptsJson("Application/*"));
        assertFalse(PublishFilter.acceptsJson("text/html"));
        assertFalse(PublishFilter.acceptsJson("application/json;q=0"), "an exclusion: JAX-RS decides");
        assertFalse(PublishFilter.acceptsJson("*/*, application/json; q=0.0"));
    }

    @Test
    void theFastPathDecodesEscapesOfNameCharactersOnly() {
        assertEquals("paths.a", PublishFilter.channelOf("/api/channels/paths.a/events", 0));
        assertEquals("user:42", PublishFilter.channelOf("/api/channels/user%3A42/events", 0), "encodeURIComponent's");
        assertEquals("paths.a", PublishFilter.channelOf("/ctx/api/channels/paths%2ea/events", 4));
        assertEquals("a.*", PublishFilter.channelOf("/api/channels/a.%2A/events", 0));
        for (String jaxRs : List.of("a%2Fb", "a%20b", "a%zz", "a%2", "a%", "a%C3%A9", "a;x=1", "a/b", "a%3Bx")) {
            assertNull(PublishFilter.channelOf("/api/channels/" + jaxRs + "/events", 0), jaxRs);
        }
        assertNull(PublishFilter.channelOf("/api/channels/paths.a/events/", 0));
        assertNull(PublishFilter.channelOf("/api/channels//events", 0));
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }
}
