package io.herald.publish;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.SlowUpload;
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

/**
 * A publish body that stops coming, of a declared length or chunked, on the publish filter's path or bound for
 * JAX-RS, and an admin's send to one client that stops coming, are answered 408 after
 * {@code herald.publish.body-timeout-ms}; nothing of it is delivered, even a chunked body whose chunks so far are a
 * whole JSON event.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.publish.body-timeout-ms=1000", "herald.auth.public-channels=",
        "herald.limits.publish-per-second=0", "herald.heartbeat.interval-ms=60000"})
class BodyTimeoutTest {

    private static final String PUBLISHER = "Bearer " + TestTokens.forSubject("pub").publish("stall.*").sign();
    private static final String READER = "Bearer " + TestTokens.forSubject("reader").subscribe("stall.*").sign();

    @Test
    void aStalledBodyIsAnswered408AndNotDelivered(URI base) throws Exception {
        assertStalledAndNotDelivered(base, "stall.a", Map.of("Authorization", PUBLISHER,
                "Content-Type", "application/json"), "{\"event\":\"stalled\",\"data\":1}", 10, null);
    }

    @Test
    void aStalledChunkedBodyIsAnswered408AndNotDelivered(URI base) throws Exception {
        String whole = "{\"event\":\"stalled\",\"data\":1}";
        assertStalledAndNotDelivered(base, "stall.c", Map.of("Authorization", PUBLISHER,
                "Content-Type", "application/json", "Transfer-Encoding", "chunked"), "", 0,
                Integer.toHexString(whole.length()) + "\r\n" + whole + "\r\n"); // no last chunk, ever
    }

    @Test
    void aStalledBodyBoundForJaxRsIsAnswered408AndNotDelivered(URI base) throws Exception {
        // a trailing slash: the publish filter leaves it to JAX-RS, and the body is read ahead for it
        assertStalledAndNotDelivered(base, "stall.j", "api/channels/stall.j/events/", Map.of("Authorization",
                PUBLISHER, "Content-Type", "application/json"), "{\"event\":\"stalled\",\"data\":1}", 10, null);
    }

    @Test
    void aStalledAdminSendIsAnswered408AndNotDelivered(URI base) throws Exception {
        // POST /api/clients/{id}/events to the stream that watches
        assertStalledAndNotDelivered(base, "stall.s", null, Map.of("Authorization", "Bearer " + TestTokens.admin(),
                "Content-Type", "application/json"), "{\"event\":\"stalled\",\"data\":1}", 10, null);
    }

    private static void assertStalledAndNotDelivered(URI base, String channel, Map<String, String> headers,
                                                     String body, int sentNow, String raw) throws Exception {
        assertStalledAndNotDelivered(base, channel, "api/channels/" + channel + "/events", headers, body, sentNow,
                raw);
    }

    /**
     * Sends the headers, {@code sentNow} bytes of {@code body} and then {@code raw} if any, and never the rest, to
     * {@code path}, or when it is null to an admin's send to the watching stream.
     */
    private static void assertStalledAndNotDelivered(URI base, String channel, String path,
                                                     Map<String, String> headers, String body, int sentNow,
                                                     String raw) throws Exception {
        try (SseClient stream = SseClient.open(base, "api/events?channel=" + channel,
                Map.of("Authorization", READER));
             SlowUpload upload = SlowUpload.start(base, path != null ? path
                     : "api/clients/" + stream.clientId() + "/events", headers, body, sentNow)) {
            assertTrue(stream.awaitCount("connected", 1, Duration.ofSeconds(10)), stream::rawText);
            if (raw != null) {
                upload.send(raw);
            }
            SlowUpload.Answer answer = upload.answer();
            assertEquals(408, answer.status(), answer.body());
            assertEquals("{\"error\":\"body_timeout\",\"message\":\"The request body did not arrive within 1000 ms\"}",
                    answer.body());
            assertEquals("close", answer.headers().get("connection"));
            // the rest of the body is never read: the connection is closed, not held to an idle timeout
            assertTrue(upload.closedByServerWithin(Duration.ofSeconds(3)), "the connection is still open");
            Thread.sleep(300);
            assertFalse(stream.rawText().contains("stalled"), stream::rawText);
        }
    }
}
