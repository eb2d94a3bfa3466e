package io.herald.limits;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without trusted proxies X-Forwarded-For is ignored: a client cannot escape its address limit by spoofing it. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.limits.streams-per-address=2", "herald.heartbeat.interval-ms=60000"})
class UntrustedProxyTest {

    @Test
    void spoofedForwardedForIsIgnored(URI base) throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                SseClient c = SseClient.open(base, "api/events?channel=spoof", Map.of("X-Forwarded-For", "203.0.113." + i));
                assertTrue(c.awaitCount("connected", 1, Duration.ofSeconds(5)));
                open.add(c);
            }
            String details = Http.get(base, "api/clients/" + open.get(0).clientId()).body();
            assertTrue(details.contains("\"remoteAddress\":\"127.0.0.1\""), details);
            try (SseClient third = SseClient.open(base, "api/events?channel=spoof", Map.of("X-Forwarded-For", "203.0.113.9"))) {
                assertEquals(200, third.status());
                assertTrue(third.awaitEnd(Duration.ofSeconds(5)));
                assertEquals(1, third.events("unavailable").size(), third.rawText());
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }
}
