package io.herald.embedded;

import io.herald.testing.Http;
import io.herald.testing.SlowUpload;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's demo profile works out of the box; without it there is no demo login. */
class DemoProfileTest {

    private static final Map<String, String> LOCAL = Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1");

    @Test
    void demoLoginIssuesShortLivedTokensThatPublish() throws Exception {
        try (HeraldServer server = HeraldServer.start(Map.of("herald.profile", "demo"), LOCAL)) {
            assertTrue(server.isDemo());
            HttpResponse<String> login = Http.raw(server.baseUri(), "POST", "api/demo/login",
                    Map.of("Content-Type", "application/json"), "{\"name\":\"alice smith\"}");
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(login.body().contains("\"demo\":true"), login.body());
            assertTrue(login.body().contains("\"subject\":\"alice-smith\""), login.body());
            Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(login.body());
            assertTrue(m.find());
            String token = m.group(1);

            try (SseClient anonymous = SseClient.open(server.baseUri(), "api/events?channel=demo.news")) {
                assertEquals(200, anonymous.status(), "the demo makes every channel readable");
                assertTrue(anonymous.awaitCount("connected", 1, Duration.ofSeconds(5)));
                assertEquals(401, Http.raw(server.baseUri(), "POST", "api/channels/demo.news/events", Map.of(),
                        "{\"data\":1}").statusCode(), "publishing still needs a token");
                HttpResponse<String> published = Http.raw(server.baseUri(), "POST", "api/channels/demo.news/events",
                        Map.of("Authorization", "Bearer " + token), "{\"event\":\"hello\",\"data\":1}");
                assertEquals(201, published.statusCode(), published.body());
                assertTrue(anonymous.awaitCount("hello", 1, Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void slowLoginBodiesHoldNoThread() throws Exception {
        int slow = 80; // more than the 64 worker threads: with blocking reads the server would stall
        Map<String, String> json = Map.of("Content-Type", "application/json");
        try (HeraldServer server = HeraldServer.start(Map.of("herald.profile", "demo",
                "herald.publish.body-timeout-ms", "2000"), LOCAL)) {
            URI base = server.baseUri();
            List<SlowUpload> uploads = new ArrayList<>();
            try {
                for (int n = 0; n < slow; n++) {
                    uploads.add(SlowUpload.start(base, "api/demo/login", json, "{\"name\":\"slow" + n + "\"}", 3));
                }
                // all of them hold a half-sent body now; a quick login is still served
                HttpResponse<String> quick = Http.raw(base, "POST", "api/demo/login", json, "{\"name\":\"quick\"}");
                assertEquals(200, quick.statusCode(), quick.body());
                assertTrue(quick.body().contains("\"subject\":\"quick\""), quick.body());
                for (SlowUpload upload : uploads) {
                    upload.finish();
                }
                for (int n = 0; n < slow; n++) {
                    SlowUpload.Answer answer = uploads.get(n).answer();
                    assertEquals(200, answer.status(), "login " + n + ": " + answer.body());
                    assertTrue(answer.body().contains("\"subject\":\"slow" + n + "\""), answer.body());
                }
            } finally {
                for (SlowUpload upload : uploads) {
                    upload.close();
                }
            }
            // one that stalls is answered 408 and its connection closed; one over the limit 413 at once
            try (SlowUpload stalled = SlowUpload.start(base, "api/demo/login", json, "{\"name\":\"never\"}", 3)) {
                SlowUpload.Answer answer = stalled.answer();
                assertEquals(408, answer.status(), answer.body());
                assertTrue(stalled.closedByServerWithin(Duration.ofSeconds(3)), "the connection is still open");
            }
            String big = "{\"name\":\"" + "x".repeat(5000) + "\"}";
            try (SlowUpload oversized = SlowUpload.start(base, "api/demo/login", json, big, 3)) {
                SlowUpload.Answer answer = oversized.answer();
                assertEquals(413, answer.status(), answer.body());
                assertEquals("{\"error\":\"payload_too_large\",\"message\":\"The request body is over the limit of "
                        + "4096 bytes\"}", answer.body());
            }
        }
    }

    @Test
    void noDemoLoginOutsideTheDemoProfile() throws Exception {
        try (HeraldServer server = HeraldServer.start(LOCAL)) {
            HttpResponse<String> login = Http.raw(server.baseUri(), "POST", "api/demo/login", Map.of(), "{}");
            assertEquals(404, login.statusCode());
        }
    }
}
