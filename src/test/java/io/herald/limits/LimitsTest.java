package io.herald.limits;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits: streams per subject and per address (behind a trusted proxy), publish rate per subject, channels per
 * stream. A client over a limit is refused (streams: 200 + retry + unavailable, then the end; API: 429 +
 * Retry-After) while the others keep going.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.limits.streams-per-subject=2", "herald.limits.streams-per-address=3",
        "herald.limits.publish-per-second=0.05", "herald.limits.publish-burst=5", "herald.limits.retry-after-seconds=7",
        "herald.stream.max-channels=3", "herald.http.trusted-proxies=127.0.0.1/32, ::1",
        "herald.unavailable.retry-ms=2000", "herald.heartbeat.interval-ms=60000"})
class LimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static Map<String, String> as(String token, String forwardedFor) {
        Map<String, String> h = new java.util.HashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        h.put("X-Forwarded-For", forwardedFor);
        return h;
    }

    private static void assertRefusedAsTemporary(SseClient c, String reason) throws Exception {
        assertEquals(200, c.status(), "EventSource only retries after a 200");
        assertTrue(c.awaitEnd(WAIT), "the refused stream ends");
        assertTrue(c.rawText().startsWith("retry: 7000\n"), c.rawText());
        List<SseEvent> unavailable = c.events("unavailable");
        assertEquals(1, unavailable.size(), c.rawText());
        assertTrue(unavailable.get(0).data().contains("\"reason\":\"" + reason + "\""), unavailable.get(0).data());
        assertTrue(c.events("connected").isEmpty());
    }

    @Test
    void streamsPerSubject(URI base) throws Exception {
        String bob = TestTokens.forSubject("bob").subscribe("lim.**").sign();
        try (SseClient one = SseClient.open(base, "api/events?channel=lim.a", as(bob, "203.0.113.1"));
             SseClient two = SseClient.open(base, "api/events?channel=lim.a", as(bob, "203.0.113.2"))) {
            assertTrue(one.awaitCount("connected", 1, WAIT));
            assertTrue(two.awaitCount("connected", 1, WAIT));
            try (SseClient three = SseClient.open(base, "api/events?channel=lim.a", as(bob, "203.0.113.3"))) {
                assertRefusedAsTemporary(three, "too_many_streams_for_subject");
            }
            Http.publish(base, "lim.a", "still", "1");
            assertTrue(one.awaitCount("still", 1, WAIT), "the others keep streaming");
            assertTrue(two.awaitCount("still", 1, WAIT));

            // a stream that ends gives its slot back
            assertEquals(204, Http.delete(base, "api/clients/" + one.clientId()).statusCode());
            assertTrue(one.awaitEnd(WAIT));
            assertTrue(reopens(base, bob), "a slot is free again once a stream ended");
        }
    }

    private static boolean reopens(URI base, String token) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (SseClient again = SseClient.open(base, "api/events?channel=lim.a", as(token, "203.0.113.4"))) {
                if (again.awaitCount("connected", 1, Duration.ofSeconds(1))) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void streamsPerAddressCountTheRealClientBehindATrustedProxy(URI base) throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // the client put a fake address in front; the proxy appended the real one
                SseClient c = SseClient.open(base, "api/events?channel=addr", as(null, "198.51.100." + i + ", 192.0.2.50"));
                assertTrue(c.awaitCount("connected", 1, WAIT));
                open.add(c);
            }
            try (SseClient over = SseClient.open(base, "api/events?channel=addr", as(null, "192.0.2.50"))) {
                assertRefusedAsTemporary(over, "too_many_streams_from_address");
            }
            try (SseClient neighbour = SseClient.open(base, "api/events?channel=addr", as(null, "192.0.2.51"))) {
                assertTrue(neighbour.awaitCount("connected", 1, WAIT), "another address is not affected");
                String details = Http.get(base, "api/clients/" + neighbour.clientId()).body();
                assertTrue(details.contains("\"remoteAddress\":\"192.0.2.51\""), details);
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void channelsPerStream(URI base) throws Exception {
        try (SseClient c = SseClient.open(base, "api/events?channels=a,b,c,d", as(null, "192.0.2.99"))) {
            assertEquals(400, c.status(), "too many channels is permanent: retrying the same URL cannot succeed");
            assertTrue(c.awaitEnd(WAIT));
            assertTrue(c.rawText().contains("too_many_channels"), c.rawText());
        }
    }

    @Test
    void publishRatePerSubjectWhileOthersGoOn(URI base) throws Exception {
        String flooder = TestTokens.forSubject("flooder").publish("flood").sign();
        String calm = TestTokens.forSubject("calm").publish("calm").sign();
        try (SseClient watcher = SseClient.open(base, "api/events?channel=calm&channel=flood", as(null, "192.0.2.77"))) {
            assertTrue(watcher.awaitCount("connected", 1, WAIT));
            int accepted = 0;
            HttpResponse<String> refused = null;
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = Http.request(base, "POST", "api/channels/flood/events",
                        Map.of("Authorization", "Bearer " + flooder), "{\"event\":\"flood\",\"data\":" + i + "}");
                if (r.statusCode() == 201) {
                    accepted++;
                } else {
                    refused = r;
                }
            }
            assertEquals(5, accepted, "the burst");
            assertTrue(refused != null);
            assertEquals(429, refused.statusCode());
            assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
            assertTrue(refused.body().startsWith("{\"error\":\"publish_rate_exceeded\""), refused.body());

            HttpResponse<String> batch = Http.request(base, "POST", "api/events",
                    Map.of("Authorization", "Bearer " + flooder), "[{\"channel\":\"flood\",\"data\":1}]");
            assertEquals(429, batch.statusCode());

            // one client floods from many threads; another publisher and the stream are unaffected
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> flood = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    flood.add(pool.submit(() -> Http.request(base, "POST", "api/channels/flood/events",
                            Map.of("Authorization", "Bearer " + flooder), "{\"data\":\"x\"}").statusCode()));
                }
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = Http.request(base, "POST", "api/channels/calm/events",
                            Map.of("Authorization", "Bearer " + calm), "{\"event\":\"calm\",\"data\":" + i + "}");
                    assertEquals(201, r.statusCode(), r.body());
                }
                assertTrue(watcher.awaitCount("calm", 5, WAIT), "the calm publisher's events arrive");
                for (Future<Integer> f : flood) {
                    int status = f.get(30, TimeUnit.SECONDS);
                    assertTrue(status == 201 || status == 429, "no 5xx under flood: " + status);
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(watcher.ended());
        }
    }
}
