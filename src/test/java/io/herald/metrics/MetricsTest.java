package io.herald.metrics;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics} in Prometheus format, with values that move when events are published, replayed and reset. */
@ExtendWith(EmbeddedHerald.class)
class MetricsTest {

    @Test
    void metricValuesMoveAfterAPublish(URI base) throws Exception {
        String before = scrape(base);
        double published = value(before, "herald_events_published_total");
        double delivered = value(before, "herald_events_delivered_total");
        double latencies = value(before, "herald_delivery_latency_seconds_count");
        try (SseClient client = SseClient.open(base, "api/events?channel=metrics.a")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            for (int i = 0; i < 3; i++) {
                Http.publish(base, "metrics.a", "m", String.valueOf(i));
            }
            assertTrue(client.awaitCount("m", 3, Duration.ofSeconds(5)));
            String after = scrape(base);
            assertEquals(published + 3, value(after, "herald_events_published_total"));
            assertEquals(delivered + 3, value(after, "herald_events_delivered_total"));
            assertEquals(latencies + 3, value(after, "herald_delivery_latency_seconds_count"),
                    "one latency per event written to the socket");
            assertTrue(value(after, "herald_delivery_latency_seconds_bucket{le=\"0.1\"}") >= 3,
                    "the histogram has buckets, and these events took well under 100 ms");
            assertTrue(value(after, "herald_connections") >= 1);
            assertTrue(value(after, "herald_channels") >= 1);
            assertTrue(value(after, "herald_streams_opened_total") >= 1);
        }
    }

    @Test
    void replaysAndResetsAreCounted(URI base) throws Exception {
        String before = scrape(base);
        String id = Http.publish(base, "metrics.b", null, "1");
        try (SseClient resumed = SseClient.open(base, "api/events?channel=metrics.b", Map.of("Last-Event-ID", id));
             SseClient reset = SseClient.open(base, "api/events?channel=metrics.b",
                     Map.of("Last-Event-ID", "no-such-id"))) {
            assertTrue(resumed.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(reset.awaitCount("reset", 1, Duration.ofSeconds(5)));
            String after = scrape(base);
            assertEquals(value(before, "herald_replays_total") + 2, value(after, "herald_replays_total"));
            assertEquals(value(before, "herald_resets_total") + 1, value(after, "herald_resets_total"));
        }
    }

    @Test
    void everyFamilyTheIssueAsksForIsExposed(URI base) throws Exception {
        HttpResponse<String> r = Http.get(base, "metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        for (String family : new String[]{"herald_connections", "herald_channels", "herald_events_published_total",
                "herald_events_delivered_total", "herald_events_published_per_second",
                "herald_events_delivered_per_second", "herald_delivery_latency_seconds_bucket",
                "herald_clients_slow_dropped_total", "herald_replays_total", "herald_resets_total",
                "herald_auth_failures_total", "herald_broker_errors_total", "herald_streams_closed_total",
                "jvm_memory_used_bytes"}) {
            assertTrue(r.body().contains("\n" + family), family + " missing");
        }
    }

    @Test
    void authFailuresAreCountedByReason(URI base) throws Exception {
        String before = scrape(base);
        String publish = "api/channels/metrics.c/events";
        assertEquals(401, Http.raw(base, "POST", publish, Map.of("Content-Type", "application/json"), "{\"data\":1}")
                .statusCode());
        assertEquals(401, Http.raw(base, "POST", publish, Map.of("Content-Type", "application/json",
                "Authorization", "Bearer not-a-token"), "{\"data\":1}").statusCode());
        String after = scrape(base);
        for (String reason : new String[]{"missing_token", "invalid_token"}) {
            String sample = "herald_auth_failures_total{reason=\"" + reason + "\"}";
            double was = before.contains(sample) ? value(before, sample) : 0;
            assertEquals(was + 1, value(after, sample), reason);
        }
    }

    @Test
    void authFailureReasonComesFromTheChallenge() {
        assertEquals("invalid_token", AuthFailureFilter.reason(401,
                "Bearer realm=\"herald\", error=\"invalid_token\", error_description=\"expired\""));
        assertEquals("insufficient_scope", AuthFailureFilter.reason(403, "Bearer error=\"insufficient_scope\""));
        assertEquals("missing_token", AuthFailureFilter.reason(401, "Bearer realm=\"herald\""));
        assertEquals("forbidden", AuthFailureFilter.reason(403, null));
    }

    static String scrape(URI base) throws Exception {
        HttpResponse<String> r = Http.get(base, "metrics");
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The value of one sample, by its full name with labels as exposed. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), sample + " not in the scrape");
        return Double.parseDouble(m.group(1));
    }
}
