package io.herald.embedded;

import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
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
    void noDemoLoginOutsideTheDemoProfile() throws Exception {
        try (HeraldServer server = HeraldServer.start(LOCAL)) {
            HttpResponse<String> login = Http.raw(server.baseUri(), "POST", "api/demo/login", Map.of(), "{}");
            assertEquals(404, login.statusCode());
        }
    }
}
