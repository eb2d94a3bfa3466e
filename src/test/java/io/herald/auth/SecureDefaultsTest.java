package io.herald.auth;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Herald as shipped, with no key and no public channel: nothing can be published, read or administered. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig(secureDefaults = true)
class SecureDefaultsTest {

    @Test
    void withoutAKeyNothingIsPublished(URI base) throws Exception {
        HttpResponse<String> anonymous = Http.raw(base, "POST", "api/channels/news/events", Map.of(), "{\"data\":1}");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("no key configured"), anonymous.body());
        HttpResponse<String> withToken = Http.raw(base, "POST", "api/channels/news/events",
                Map.of("Authorization", "Bearer " + TestTokens.admin()), "{\"data\":1}");
        assertEquals(401, withToken.statusCode());
        assertTrue(withToken.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    }

    @Test
    void noChannelIsPublicAndAdminIsClosed(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=news")) {
            assertEquals(401, client.status());
            assertTrue(client.awaitEnd(Duration.ofSeconds(5)));
        }
        assertEquals(401, Http.raw(base, "GET", "api/stats", Map.of(), null).statusCode());
        assertEquals(401, Http.raw(base, "GET", "api/clients", Map.of(), null).statusCode());
        assertEquals(401, Http.raw(base, "GET", "api/channels/news/events", Map.of(), null).statusCode());
    }
}
