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

/** A publish body that stops coming is answered 408 after {@code herald.publish.body-timeout-ms}; nothing of it is delivered. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.publish.body-timeout-ms=1000", "herald.auth.public-channels=",
        "herald.limits.publish-per-second=0", "herald.heartbeat.interval-ms=60000"})
class BodyTimeoutTest {

    @Test
    void aStalledBodyIsAnswered408AndNotDelivered(URI base) throws Exception {
        String publisher = "Bearer " + TestTokens.forSubject("pub").publish("stall.*").sign();
        String reader = "Bearer " + TestTokens.forSubject("reader").subscribe("stall.*").sign();
        try (SseClient stream = SseClient.open(base, "api/events?channel=stall.a", Map.of("Authorization", reader));
             SlowUpload upload = SlowUpload.start(base, "api/channels/stall.a/events",
                     Map.of("Authorization", publisher, "Content-Type", "application/json"),
                     "{\"event\":\"stalled\",\"data\":1}", 10)) {
            assertTrue(stream.awaitCount("connected", 1, Duration.ofSeconds(10)), stream::rawText);
            SlowUpload.Answer answer = upload.answer(); // the rest is never sent
            assertEquals(408, answer.status(), answer.body());
            assertEquals("{\"error\":\"body_timeout\",\"message\":\"The request body did not arrive within 1000 ms\"}",
                    answer.body());
            assertEquals("close", answer.headers().get("connection"));
            Thread.sleep(300);
            assertFalse(stream.rawText().contains("stalled"), stream::rawText);
        }
    }
}
