package io.herald.auth;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An open stream ends when its token expires, telling the client why; streams with longer tokens go on. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.auth.jwt.clock-skew-ms=0", "herald.auth.expiry-check-ms=200",
        "herald.heartbeat.interval-ms=60000"})
class TokenExpiryTest {

    @Test
    void theStreamClosesWhenTheTokenExpires(URI base) throws Exception {
        String shortLived = TestTokens.forSubject("brief").subscribe("expiry").expiresIn(Duration.ofSeconds(2)).sign();
        String longLived = TestTokens.forSubject("steady").subscribe("expiry").sign();
        try (SseClient brief = SseClient.open(base, "api/events?channel=expiry", Map.of("Authorization", "Bearer " + shortLived));
             SseClient steady = SseClient.open(base, "api/events?channel=expiry", Map.of("Authorization", "Bearer " + longLived))) {
            assertTrue(brief.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(steady.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(brief.awaitCount("unavailable", 1, Duration.ofSeconds(6)), brief::rawText);
            assertEquals("{\"reason\":\"token_expired\",\"retryMs\":0}", brief.events("unavailable").get(0).data());
            assertTrue(brief.awaitEnd(Duration.ofSeconds(5)), "the expired stream ends");
            assertFalse(steady.ended(), "the other stream goes on");
            assertTrue(steady.events("unavailable").isEmpty());
        }
    }
}
