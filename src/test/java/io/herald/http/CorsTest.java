package io.herald.http;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS preflights and actual responses for allowed and refused origins, on publishing and on the stream. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.cors.origins=https://app.example, https://other.example",
        "herald.cors.credentials=true", "herald.heartbeat.interval-ms=60000"})
class CorsTest {

    private static final String ALLOWED = "https://app.example";
    private static final String REFUSED = "https://evil.example";

    private static HttpResponse<String> preflight(URI base, String path, String origin, String method, String headers)
            throws Exception {
        return Http.raw(base, "OPTIONS", path, Map.of("Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", headers), null);
    }

    @Test
    void publishPreflight(URI base) throws Exception {
        HttpResponse<String> ok = preflight(base, "api/channels/news/events", ALLOWED, "POST", "authorization,content-type");
        assertEquals(204, ok.statusCode());
        assertEquals(ALLOWED, ok.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("true", ok.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
        assertTrue(ok.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
        String allowHeaders = ok.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
        assertTrue(allowHeaders.contains("Authorization") && allowHeaders.contains("Last-Event-ID"), allowHeaders);
        assertTrue(ok.headers().allValues("Vary").contains("Origin"));

        HttpResponse<String> refused = preflight(base, "api/channels/news/events", REFUSED, "POST", "content-type");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(refused.body().contains("cors_refused"));

        HttpResponse<String> badHeader = preflight(base, "api/channels/news/events", ALLOWED, "POST", "x-secret");
        assertEquals(403, badHeader.statusCode());
        HttpResponse<String> badMethod = preflight(base, "api/channels/news/events", ALLOWED, "PUT", "");
        assertEquals(403, badMethod.statusCode());
    }

    @Test
    void streamPreflightForFetchWithAuthorization(URI base) throws Exception {
        HttpResponse<String> ok = preflight(base, "api/events?channel=news", ALLOWED, "GET", "authorization,last-event-id");
        assertEquals(204, ok.statusCode());
        assertEquals(ALLOWED, ok.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> refused = preflight(base, "api/events?channel=news", REFUSED, "GET", "authorization");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void actualResponses(URI base) throws Exception {
        HttpResponse<String> published = Http.request(base, "POST", "api/channels/cors.news/events",
                Map.of("Origin", ALLOWED, "Content-Type", "application/json"), "{\"data\":1}");
        assertEquals(201, published.statusCode());
        assertEquals(ALLOWED, published.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("true", published.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());

        HttpResponse<String> foreign = Http.request(base, "POST", "api/channels/cors.news/events",
                Map.of("Origin", REFUSED, "Content-Type", "application/json"), "{\"data\":1}");
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());

        HttpResponse<String> refusedCall = Http.raw(base, "POST", "api/channels/cors.news/events",
                Map.of("Origin", ALLOWED), "{\"data\":1}");
        assertEquals(401, refusedCall.statusCode());
        assertEquals(ALLOWED, refusedCall.headers().firstValue("Access-Control-Allow-Origin").orElseThrow(),
                "errors carry CORS headers too, so the page can read them");
        assertTrue(refusedCall.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("WWW-Authenticate"));

        try (SseClient allowed = SseClient.open(base, "api/events?channel=cors.news",
                Map.of("Origin", ALLOWED, "Authorization", "Bearer " + TestTokens.admin()));
             SseClient foreignStream = SseClient.open(base, "api/events?channel=cors.news", Map.of("Origin", REFUSED))) {
            assertEquals(200, allowed.status());
            assertEquals(ALLOWED, allowed.header("Access-Control-Allow-Origin").orElseThrow());
            assertEquals("true", allowed.header("Access-Control-Allow-Credentials").orElseThrow());
            assertTrue(allowed.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(foreignStream.header("Access-Control-Allow-Origin").isEmpty());
            assertFalse(foreignStream.header("Access-Control-Allow-Credentials").isPresent());
        }
    }
}
