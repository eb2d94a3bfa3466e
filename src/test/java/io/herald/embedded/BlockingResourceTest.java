package io.herald.embedded;

import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resource an enterprise app adds may block its request thread. While more such requests block than the embedded
 * server has core worker threads (two per core), everyone else is still served: streams open, publishes are
 * answered and delivered. The blocked requests are all answered once they are released.
 */
class BlockingResourceTest {

    private static final int BLOCKED = 4 * Runtime.getRuntime().availableProcessors() + 4;

    /** Released by the test; held requests give up after 20 s so a failing test still ends. */
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile CountDownLatch held = new CountDownLatch(BLOCKED);

    @ApplicationPath("/blocking")
    public static class BlockingApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(HoldResource.class);
        }
    }

    @Path("hold")
    public static class HoldResource {
        @GET
        public String hold() throws InterruptedException {
            held.countDown();
            return release.await(20, TimeUnit.SECONDS) ? "released" : "gave up";
        }
    }

    @Test
    void requestsBlockedInAnAppsResourceStallNobodyElse() throws Exception {
        release = new CountDownLatch(1);
        held = new CountDownLatch(BLOCKED);
        Map<String, String> config = Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1",
                "herald.auth.jwt.secret", TestTokens.SECRET, "herald.auth.public-channels", "**");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HeraldServer server = HeraldServer.start(Map.of(), config, List.of(BlockingApplication.class))) {
            URI base = server.baseUri();
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            try {
                for (int n = 0; n < BLOCKED; n++) {
                    blocked.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("blocking/hold")).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                assertTrue(held.await(10, TimeUnit.SECONDS), "all " + BLOCKED + " requests are held in the resource; "
                        + held.getCount() + " never reached it");

                HttpResponse<String> channels = Http.get(base, "api/channels");
                assertEquals(200, channels.statusCode(), channels.body());
                try (SseClient reader = SseClient.open(base, "api/events?channel=during")) {
                    assertTrue(reader.awaitCount("connected", 1, Duration.ofSeconds(10)), reader::rawText);
                    String id = Http.publish(base, "during", "note", "{\"n\":1}");
                    assertTrue(reader.awaitCount("note", 1, Duration.ofSeconds(10)), reader::rawText);
                    assertEquals(id, reader.events("note").get(0).id());
                }
                assertFalse(blocked.stream().anyMatch(CompletableFuture::isDone), "the held requests are still held");
            } finally {
                release.countDown();
            }
            for (CompletableFuture<HttpResponse<String>> answer : blocked) {
                HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertEquals("released", response.body());
            }
        }
    }
}
