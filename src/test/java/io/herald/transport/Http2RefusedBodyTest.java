package io.herald.transport;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request body refused unread over HTTP/2 (over the publish limit, of a declared length or streamed without one;
 * stalled; refused on the headers alone: no token, not JSON) is answered at once, though the client has not sent all
 * of it and has used up its flow-control window: once the answer is out, the server resets the stream with
 * {@code NO_ERROR} (RFC 9113 §8.1), after opening the window for clients that read no answer before their body is
 * sent (the JDK 17 {@code HttpClient}). The connection
 * carries other streams and goes on serving them: an event stream opened on it before gets the next event, and the
 * next requests on it are answered. An accepted publish is not reset.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.tls.self-signed=true", "herald.tls.keystore=target/test-tls/h2-refused.p12",
        "herald.tls.password=test-secret", "herald.https.port=0", "herald.limits.publish-per-second=0",
        "herald.publish.body-timeout-ms=1000", "herald.heartbeat.interval-ms=60000"})
class Http2RefusedBodyTest {

    private static final Path KEYSTORE = Path.of("target/test-tls/h2-refused.p12");
    private static final String TOKEN = "Bearer " + TestTokens.admin();
    /** Over the default limit of 64 KiB, and over a stream's initial flow-control window (65,535 bytes). */
    private static final String TOO_LARGE = "{\"data\":\"" + "x".repeat(70_000) + "\"}";
    private static final int NO_ERROR = 0;

    @Test
    void aDeclaredBodyOverTheLimitIsAnswered413AndTheConnectionGoesOn(URI base) throws Exception {
        assertRefusedAndConnectionKept(base, "h2.declared", HttpRequest.BodyPublishers.ofString(TOO_LARGE));
    }

    @Test
    void aStreamedBodyOverTheLimitIsAnswered413AndTheConnectionGoesOn(URI base) throws Exception {
        // no content-length: the server reads it until it holds more than the limit; far more than the window the
        // server gave while it read is still to come
        byte[] body = ("{\"data\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertRefusedAndConnectionKept(base, "h2.streamed",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    @Test
    void theStreamOfABodyRefusedUnreadIsResetWithNoErrorAfterTheAnswer(URI base) throws Exception {
        try (RawHttp2 h2 = RawHttp2.connect(TlsClients.trusting(KEYSTORE, "test-secret"), base)) {
            byte[] body = TOO_LARGE.getBytes(StandardCharsets.UTF_8);
            h2.headers(1, "POST", "/api/channels/h2.raw/events", Map.of("authorization", TOKEN,
                    "content-type", "application/json", "content-length", String.valueOf(body.length)), false);
            // all a client may send before the server opens the window again
            h2.data(1, Arrays.copyOf(body, 65_535), false);
            assertAnsweredThenResetAndConnectionServes(h2, "413");
        }
    }

    @Test
    void theStreamOfAStalledBodyIsResetWithNoErrorAfterThe408(URI base) throws Exception {
        try (RawHttp2 h2 = RawHttp2.connect(TlsClients.trusting(KEYSTORE, "test-secret"), base)) {
            h2.headers(1, "POST", "/api/channels/h2.stalled/events", Map.of("authorization", TOKEN,
                    "content-type", "application/json"), false);
            h2.data(1, "{\"data\":".getBytes(StandardCharsets.UTF_8), false); // and nothing more, ever
            assertAnsweredThenResetAndConnectionServes(h2, "408");
        }
    }

    @Test
    void anAcceptedPublishIsNotReset(URI base) throws Exception {
        // only refusals are reset: a publish read whole and answered 201 ends its stream with the answer alone
        try (RawHttp2 h2 = RawHttp2.connect(TlsClients.trusting(KEYSTORE, "test-secret"), base)) {
            byte[] body = "{\"event\":\"fine\",\"data\":1}".getBytes(StandardCharsets.UTF_8);
            h2.headers(1, "POST", "/api/channels/h2.accepted/events", Map.of("authorization", TOKEN,
                    "content-type", "application/json", "content-length", String.valueOf(body.length)), false);
            h2.data(1, body, true);
            List<RawHttp2.Frame> first = framesUntilEnd(h2, 1);
            assertEquals("201", first.get(0).headers().get(":status"), first.toString());
            // a reset would follow the answer at once, so it would come before the answer to the next request
            h2.headers(3, "GET", "/health/live", Map.of(), true);
            while (true) {
                RawHttp2.Frame frame = h2.next();
                assertFalse(frame.stream() == 1, "nothing more on the accepted publish's stream: " + frame);
                if (frame.stream() == 3 && frame.has(RawHttp2.END_STREAM)) {
                    break;
                }
            }
        }
    }

    @Test
    void answersGivenBeforeAnyOfTheBodyIsReadReachTheClientToo(URI base) throws Exception {
        // refused on the headers alone (no token: 401; not JSON: 415), the body over the stream's window still to come
        HttpClient client = TlsClients.client(KEYSTORE, "test-secret", HttpClient.Version.HTTP_2);
        HttpResponse<String> anonymous = client.sendAsync(HttpRequest.newBuilder(
                        base.resolve("api/channels/h2.anonymous/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TOO_LARGE)).build(), HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        assertEquals(HttpClient.Version.HTTP_2, anonymous.version());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> notJson = client.sendAsync(HttpRequest.newBuilder(
                        base.resolve("api/channels/h2.text/events")).header("Authorization", TOKEN)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(TOO_LARGE)).build(),
                HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        assertEquals(415, notJson.statusCode(), notJson.body());
        HttpResponse<String> live = client.sendAsync(HttpRequest.newBuilder(base.resolve("health/live")).build(),
                HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        assertEquals(200, live.statusCode(), "the connection goes on: " + live.body());
    }

    /**
     * Opens an event stream on {@code channel} over HTTP/2, sends a publish of {@code body} on the same connection,
     * expects 413 within seconds, then a valid publish on that connection, which the event stream receives.
     */
    private static void assertRefusedAndConnectionKept(URI base, String channel, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpClient client = TlsClients.client(KEYSTORE, "test-secret", HttpClient.Version.HTTP_2);
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> opened = client.sendAsync(HttpRequest.newBuilder(
                        base.resolve("api/events?channel=" + channel)).header("Accept", "text/event-stream")
                .header("Authorization", TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> stream = opened.get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, stream.version());
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(lines::add);
            } catch (UncheckedIOException closedByTheTest) {
                // the test closes the stream's body at the end
            }
        }, "h2-sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "event: connected");

            HttpResponse<String> refused = client.sendAsync(publish(base, channel, body),
                    HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
            assertEquals(HttpClient.Version.HTTP_2, refused.version());
            assertEquals(413, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("payload_too_large"), refused.body());
            assertFalse(refused.headers().firstValue("connection").isPresent(),
                    "no connection-specific header in an HTTP/2 response (RFC 9113 §8.2.2)");

            // the same connection: the event stream opened on it before is still served, and so are new requests
            HttpResponse<String> accepted = client.sendAsync(publish(base, channel, HttpRequest.BodyPublishers
                            .ofString("{\"event\":\"after\",\"data\":1}")), HttpResponse.BodyHandlers.ofString())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(201, accepted.statusCode(), accepted.body());
            awaitLine(lines, "event: after");
            assertTrue(reader.isAlive(), "the event stream is still open");
            HttpResponse<String> live = client.sendAsync(HttpRequest.newBuilder(base.resolve("health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
            assertEquals(200, live.statusCode(), live.body());
        } finally {
            stream.body().close();
        }
    }

    private static HttpRequest publish(URI base, String channel, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(base.resolve("api/channels/" + channel + "/events"))
                .header("Authorization", TOKEN).header("Content-Type", "application/json").POST(body).build();
    }

    private static void awaitLine(List<String> lines, String line) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lines.contains(line)) {
            assertTrue(System.nanoTime() < until, "no \"" + line + "\" on the event stream: " + lines);
            Thread.sleep(20);
        }
    }

    /** Stream 1's answer is {@code status}, then its reset; stream 3 of the same connection is served after. */
    private static void assertAnsweredThenResetAndConnectionServes(RawHttp2 h2, String status) throws Exception {
        List<RawHttp2.Frame> frames = framesUntilReset(h2, 1);
        assertEquals(status, frames.get(0).headers().get(":status"), frames.toString());
        assertAnsweredThenReset(frames);
        assertConnectionServes(h2, 3);
    }

    /** The frames on {@code stream} up to the one that ends it (END_STREAM); no GOAWAY on the way. */
    private static List<RawHttp2.Frame> framesUntilEnd(RawHttp2 h2, int stream) throws Exception {
        return framesUntil(h2, stream, frame -> frame.has(RawHttp2.END_STREAM), "END_STREAM");
    }

    /** The frames on {@code stream} up to its RST_STREAM; no GOAWAY on the way. */
    private static List<RawHttp2.Frame> framesUntilReset(RawHttp2 h2, int stream) throws Exception {
        return framesUntil(h2, stream, frame -> frame.type() == RawHttp2.RST_STREAM, "RST_STREAM");
    }

    /** The frames on {@code stream} up to the first that is {@code last}; no GOAWAY on the way. */
    private static List<RawHttp2.Frame> framesUntil(RawHttp2 h2, int stream, Predicate<RawHttp2.Frame> last,
                                                    String what) throws Exception {
        List<RawHttp2.Frame> frames = new ArrayList<>();
        while (true) {
            RawHttp2.Frame frame;
            try {
                frame = h2.next();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no " + what + " on stream " + stream + " within 10 s: " + frames, e);
            }
            assertNotEquals(RawHttp2.GOAWAY, frame.type(), "the connection carries other streams: " + frames);
            if (frame.stream() == stream) {
                frames.add(frame);
                if (last.test(frame)) {
                    return frames;
                }
            }
        }
    }

    /**
     * The answer whole, its last frame with END_STREAM, then the window opened and last a reset with NO_ERROR, which
     * a client heeds only after a complete response.
     */
    private static void assertAnsweredThenReset(List<RawHttp2.Frame> frames) {
        assertEquals(RawHttp2.HEADERS, frames.get(0).type(), frames.toString());
        int end = -1;
        for (int i = 0; i < frames.size(); i++) {
            if ((frames.get(i).type() == RawHttp2.HEADERS || frames.get(i).type() == RawHttp2.DATA)
                    && frames.get(i).has(RawHttp2.END_STREAM)) {
                end = i;
                break;
            }
        }
        assertTrue(end >= 0, "the answer ends its side of the stream: " + frames);
        RawHttp2.Frame reset = frames.get(frames.size() - 1);
        assertEquals(NO_ERROR, reset.number(), "RST_STREAM(NO_ERROR): " + frames);
        List<RawHttp2.Frame> between = frames.subList(end + 1, frames.size() - 1);
        assertEquals(1, between.size(), "between the answer and the reset: " + between);
        assertEquals(RawHttp2.WINDOW_UPDATE, between.get(0).type(), between.toString());
    }

    /** A request on {@code stream} of the same connection is answered, to its end. */
    private static void assertConnectionServes(RawHttp2 h2, int stream) throws Exception {
        h2.headers(stream, "GET", "/health/live", Map.of(), true);
        List<RawHttp2.Frame> frames = framesUntilEnd(h2, stream);
        assertEquals("200", frames.get(0).headers().get(":status"), frames.toString());
    }
}
