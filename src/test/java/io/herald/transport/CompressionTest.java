package io.herald.transport;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gzip on event streams: only when enabled and accepted, and flushed after every event, so one event at a time
 * arrives and decodes without waiting for the next (a buffering compressor would stall this test).
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.compression.enabled=true"})
class CompressionTest {

    @Test
    void eachEventArrivesDecodedBeforeTheNextIsPublished(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=gz.one",
                Map.of("Accept-Encoding", "gzip, deflate"))) {
            assertEquals(200, client.status());
            assertEquals("gzip", client.header("Content-Encoding").orElse(null));
            assertTrue(client.header("Vary").orElse("").contains("Accept-Encoding"));
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)), "connected arrives at once");
            for (int i = 1; i <= 30; i++) {
                String id = Http.publish(base, "gz.one", "tick", "{\"n\":" + i + "}");
                int expected = i;
                long start = System.nanoTime();
                boolean arrived = client.awaitCount("tick", expected, Duration.ofSeconds(2));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(arrived, "event " + i + " still not decoded after " + ms + " ms: the compressor held it");
                assertEquals("{\"n\":" + i + "}", client.events("tick").get(i - 1).data());
                assertEquals(id, client.events("tick").get(i - 1).id());
            }
        }
    }

    @Test
    void noGzipForAClientThatDoesNotAcceptIt(URI base) throws Exception {
        try (SseClient plain = SseClient.open(base, "api/events?channel=gz.two");
             SseClient refusing = SseClient.open(base, "api/events?channel=gz.two",
                     Map.of("Accept-Encoding", "gzip;q=0, identity"))) {
            assertTrue(plain.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(refusing.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertFalse(plain.header("Content-Encoding").isPresent());
            assertFalse(refusing.header("Content-Encoding").isPresent());
            assertTrue(plain.rawText().startsWith("retry: 3000\n\n"));
        }
    }

    /**
     * The bytes saved on a realistic feed: 2,000 stock quotes as JSON objects, one event each, as the stocks demo
     * publishes them. The figure goes in docs/operations.md.
     */
    @Test
    void savesBytesOnARealisticJsonFeed(URI base) throws Exception {
        String[] symbols = {"ACME", "GLOBX", "INITECH", "UMBRL", "STARK", "WAYNE", "OSCRP", "TYRELL", "CYBD", "SOYL"};
        Random random = new Random(42);
        int events = 2000;
        try (SseClient gz = SseClient.open(base, "api/events?channel=gz.quotes", Map.of("Accept-Encoding", "gzip"));
             SseClient plain = SseClient.open(base, "api/events?channel=gz.quotes")) {
            assertTrue(gz.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertTrue(plain.awaitCount("connected", 1, Duration.ofSeconds(5)));
            long startGz = gz.wireBytes();
            long startPlain = plain.wireBytes();
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < events; i++) {
                String symbol = symbols[random.nextInt(symbols.length)];
                double price = 50 + random.nextInt(20000) / 100.0;
                batch.append(i % 200 == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"channel\":\"gz.quotes\",\"event\":\"quote\",\"data\":{\"symbol\":\"%s\",\"price\":%.2f,"
                                + "\"change\":%.2f,\"changePercent\":%.3f,\"volume\":%d,\"bid\":%.2f,\"ask\":%.2f,"
                                + "\"time\":\"2026-11-22T10:%02d:%02d.%03dZ\"}}",
                        symbol, price, random.nextGaussian(), random.nextGaussian() / 2, random.nextInt(5_000_000),
                        price - 0.01, price + 0.01, (i / 60) % 60, i % 60, random.nextInt(1000)));
                if ((i + 1) % 200 == 0) {
                    var r = Http.post(base, "api/events", batch.append("]").toString());
                    assertEquals(201, r.statusCode(), r.body());
                    batch = new StringBuilder("[");
                }
            }
            assertTrue(gz.awaitCount("quote", events, Duration.ofSeconds(30)), "gzip client got every quote");
            assertTrue(plain.awaitCount("quote", events, Duration.ofSeconds(30)), "plain client got every quote");
            assertEquals(plain.events("quote"), gz.events("quote"), "both decode to the same events");
            long gzBytes = gz.wireBytes() - startGz;
            long plainBytes = plain.wireBytes() - startPlain;
            double saved = 100.0 * (plainBytes - gzBytes) / plainBytes;
            // what gzip would reach on the same bytes with no flush at all: the price of flushing every event
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
            try (var z = new java.util.zip.GZIPOutputStream(whole)) {
                z.write(plain.rawText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            System.out.printf(Locale.ROOT, "gzip on %d quote events: %d bytes on the wire instead of %d (%.1f%% saved, "
                    + "%.1f vs %.1f bytes per event); gzip of the whole stream without flushes: %d bytes%n", events,
                    gzBytes, plainBytes, saved, gzBytes / (double) events, plainBytes / (double) events, whole.size());
            assertTrue(saved > 40, "gzip saved only " + saved + "%");
        }
    }
}
