package io.herald.drain;

import io.herald.embedded.HeraldServer;
import io.herald.testing.Await;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.TestTokens;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain order: readiness down first; streams that still arrive get 200, a low retry and
 * {@code event: unavailable}; open streams then get the low retry and are closed; a publish that was accepted
 * completes before the server stops.
 */
class DrainTest {

    @Test
    void drainsInOrder() throws Exception {
        Map<String, String> config = new java.util.HashMap<>(EmbeddedHerald.TEST_DEFAULTS);
        config.putAll(Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1",
                "herald.drain.delay-ms", "1500", "herald.drain.retry-ms", "250"));
        HeraldServer server = HeraldServer.start(config);
        URI base = server.baseUri();
        Thread closer = new Thread(server::close, "closer");
        try (SseClient open = SseClient.open(base, "api/events?channel=drain.a");
             Socket publish = new Socket(base.getHost(), base.getPort())) {
            assertTrue(open.awaitCount("connected", 1, Duration.ofSeconds(5)));
            assertEquals(200, Http.get(base, "health/ready").statusCode());

            // a publish in flight: headers and half its body sent, the rest held back
            String body = "{\"event\":\"late\",\"data\":{\"text\":\"accepted before the drain\"}}";
            OutputStream out = publish.getOutputStream();
            out.write(("POST /api/channels/drain.a/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestTokens.admin() + "\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                    + body.substring(0, 20)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InFlightPublishes inFlight = server.cdi().select(InFlightPublishes.class).get();
            assertTrue(Await.until(() -> inFlight.count() == 1, Duration.ofSeconds(5)), "the publish is in flight");

            closer.start();
            // 1. readiness goes down first, while the open stream is still open
            assertTrue(Await.until(() -> Http.get(base, "health/ready").statusCode() == 503, Duration.ofSeconds(2)),
                    "readiness goes down at once");
            assertTrue(Http.get(base, "health/ready").body().contains("\"draining\":true"));
            assertFalse(open.ended(), "open streams are closed only after readiness went down");

            // 2. a stream that still arrives: 200, a low retry, event: unavailable, then the end
            try (SseClient late = SseClient.open(base, "api/events?channel=drain.a")) {
                assertEquals(200, late.status(), "never a 503: EventSource would give up for good");
                assertTrue(late.awaitEnd(Duration.ofSeconds(5)), "the refused stream ends");
                assertEquals("retry: 250\n\nevent: unavailable\ndata: {\"reason\":\"draining\",\"retryMs\":250}\n\n",
                        late.rawText());
            }
            assertFalse(open.ended(), "still inside the delay that lets the balancer notice");

            // 3. the open stream gets the low retry and is closed
            assertTrue(open.awaitEnd(Duration.ofSeconds(5)), "open stream closed after the delay");
            assertTrue(open.rawText().endsWith("retry: 250\n\n"), open.rawText());

            // 4. the accepted publish completes before the process ends
            Thread.sleep(300);
            assertTrue(closer.isAlive(), "the server waits for the publish in flight");
            out.write(body.substring(20).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = statusLine(publish.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
            closer.join(5_000);
            assertFalse(closer.isAlive(), "the server stops once the publish has answered");
        } finally {
            if (closer.isAlive() || closer.getState() == Thread.State.NEW) {
                server.close();
            }
        }
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
