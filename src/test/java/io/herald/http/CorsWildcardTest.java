package io.herald.http;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code *} allows any origin without credentials, and is refused (at start) together with credentials. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.cors.origins=*, https://app.example", "herald.heartbeat.interval-ms=60000"})
class CorsWildcardTest {

    @Test
    void anyOriginWithoutCredentials(URI base) throws Exception {
        HttpResponse<String> r = Http.raw(base, "OPTIONS", "api/channels/a/events", Map.of("Origin",
                "https://anyone.example", "Access-Control-Request-Method", "POST"), null);
        assertEquals(204, r.statusCode());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
        HttpResponse<String> listed = Http.raw(base, "OPTIONS", "api/channels/a/events", Map.of("Origin",
                "https://app.example", "Access-Control-Request-Method", "POST"), null);
        assertTrue(listed.headers().firstValue("Access-Control-Allow-Credentials").isEmpty(), "credentials are off");
    }

    @Test
    void wildcardWithCredentialsIsRefused() {
        CorsPolicy policy = new CorsPolicy();
        policy.originsConfig = Optional.of("*");
        policy.credentials = true;
        IllegalStateException e = assertThrows(IllegalStateException.class, policy::init);
        assertTrue(e.getMessage().contains("herald.cors.origins"), e.getMessage());
    }
}
