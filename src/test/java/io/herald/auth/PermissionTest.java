package io.herald.auth;

import io.herald.api.ApiException;
import io.herald.channel.Subscription;
import io.herald.embedded.HeraldServer;
import io.herald.event.EventDraft;
import io.herald.poll.PollQuery;
import io.herald.poll.PollService;
import io.herald.publish.Publisher;
import io.herald.stream.StreamAdmission;
import io.herald.stream.StreamRequest;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel permissions on every endpoint, secure defaults, and proof that the CDI interceptors do the refusing. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig(secureDefaults = true, value = {
        "herald.auth.jwt.secret=" + TestTokens.SECRET,
        "herald.auth.public-channels=public.**,lobby",
        "herald.limits.streams-per-subject=0",
        "herald.heartbeat.interval-ms=60000"})
class PermissionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** alice: subscribe news, orders.eu.*, user.{sub}.**; publish chat and user.{sub}.*. */
    static String alice() {
        return TestTokens.forSubject("alice").subscribe("news", "orders.eu.*", "user.{sub}.**", "wide.**")
                .publish("chat", "user.{sub}.*").sign();
    }

    private static Map<String, String> bearer(String token) {
        Map<String, String> h = new HashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        return h;
    }

    @ParameterizedTest(name = "{0} subscribes to {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "anonymous | public.news          | 200",
            "anonymous | public.*             | 200",
            "anonymous | lobby                | 200",
            "anonymous | news                 | 401",
            "anonymous | lobby.*              | 401",
            "anonymous | **                   | 401",
            "alice     | news                 | 200",
            "alice     | public.x             | 200",
            "alice     | news.*               | 403",
            "alice     | orders.eu.1          | 200",
            "alice     | orders.eu.*          | 200",
            "alice     | orders.*.1           | 403",
            "alice     | orders.**            | 403",
            "alice     | orders.eu.**         | 403",
            "alice     | user.alice.inbox     | 200",
            "alice     | user.alice.**        | 200",
            "alice     | user.bob.inbox       | 403",
            "alice     | user.*.inbox         | 403",
            "alice     | wide.a.b.c           | 200",
            "alice     | wide.*               | 200",
            "alice     | wide                 | 403",
            "alice     | news,secret          | 403",
    })
    void subscribe(String who, String channels, int status, URI base) throws Exception {
        String token = who.equals("alice") ? alice() : null;
        String query = "api/events?channels=" + URLEncoder.encode(channels, StandardCharsets.UTF_8);
        try (SseClient client = SseClient.open(base, query, bearer(token))) {
            assertEquals(status, client.status(), client::rawText);
            if (status == 200) {
                assertTrue(client.awaitCount("connected", 1, WAIT));
            } else {
                assertTrue(client.awaitEnd(WAIT));
                assertTrue(client.events().isEmpty());
                if (status == 403) {
                    assertTrue(client.rawText().startsWith("{\"error\":\"channel_forbidden\""), client.rawText());
                }
            }
        }
        // the polling fallback applies the same rule
        HttpResponse<String> poll = Http.raw(base, "GET", "api/events/poll?channels="
                + URLEncoder.encode(channels, StandardCharsets.UTF_8), bearer(token), null);
        assertEquals(status, poll.statusCode(), poll.body());
    }

    @Test
    void theRefusalNamesTheChannel(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=news&channel=orders.**", bearer(alice()))) {
            assertEquals(403, client.status());
            assertTrue(client.awaitEnd(WAIT));
            assertTrue(client.rawText().contains("'orders.**'"), client.rawText());
        }
        HttpResponse<String> r = Http.raw(base, "POST", "api/events", bearer(alice()),
                "[{\"channel\":\"chat\",\"data\":1},{\"channels\":[\"chat\",\"news\"],\"data\":2}]");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("'news'"), r.body());
    }

    @ParameterizedTest(name = "{0} publishes to {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "anonymous | chat             | 401",
            "alice     | chat             | 201",
            "alice     | chat.x           | 403",
            "alice     | news             | 403",
            "alice     | user.alice.out   | 201",
            "alice     | user.bob.out     | 403",
            "alice     | public.news      | 403",
    })
    void publish(String who, String channel, int status, URI base) throws Exception {
        String token = who.equals("alice") ? alice() : null;
        HttpResponse<String> single = Http.raw(base, "POST", "api/channels/" + channel + "/events", bearer(token),
                "{\"data\":1}");
        assertEquals(status, single.statusCode(), single.body());
        HttpResponse<String> batch = Http.raw(base, "POST", "api/events", bearer(token),
                "[{\"channel\":\"" + channel + "\",\"data\":1}]");
        assertEquals(status, batch.statusCode(), batch.body());
    }

    @Test
    void adminEndpointsNeedTheAdminPermission(URI base) throws Exception {
        String admin = TestTokens.forSubject("root").permissions("admin").sign();
        String clientId;
        try (SseClient client = SseClient.open(base, "api/events?channel=lobby")) {
            clientId = client.clientId();
            for (String[] call : new String[][]{{"GET", "api/clients"}, {"GET", "api/clients/" + clientId},
                    {"GET", "api/channels/lobby/subscribers"}, {"GET", "api/stats"},
                    {"POST", "api/clients/" + clientId + "/events"}, {"DELETE", "api/clients/" + clientId}}) {
                String body = call[0].equals("POST") ? "{\"data\":1}" : null;
                assertEquals(401, Http.raw(base, call[0], call[1], Map.of(), body).statusCode(), call[1]);
                assertEquals(403, Http.raw(base, call[0], call[1], bearer(alice()), body).statusCode(), call[1]);
            }
            assertEquals(200, Http.raw(base, "GET", "api/clients/" + clientId, bearer(admin), null).statusCode());
            assertEquals(200, Http.raw(base, "GET", "api/stats", bearer(admin), null).statusCode());
            assertEquals(201, Http.raw(base, "POST", "api/clients/" + clientId + "/events", bearer(admin),
                    "{\"event\":\"direct\",\"data\":1}").statusCode());
            assertTrue(client.awaitCount("direct", 1, WAIT));
            assertEquals(204, Http.raw(base, "DELETE", "api/clients/" + clientId, bearer(admin), null).statusCode());
            assertTrue(client.awaitEnd(WAIT), "disconnected by the admin");
        }
    }

    @Test
    void presenceNeedsSubscribeRights(URI base) throws Exception {
        assertEquals(200, Http.raw(base, "GET", "api/channels/lobby/presence", Map.of(), null).statusCode());
        assertEquals(401, Http.raw(base, "GET", "api/channels/news/presence", Map.of(), null).statusCode());
        assertEquals(200, Http.raw(base, "GET", "api/channels/news/presence", bearer(alice()), null).statusCode());
        assertEquals(403, Http.raw(base, "GET", "api/channels/user.bob.x/presence", bearer(alice()), null).statusCode());
    }

    @Test
    void theChannelListShowsOnlyWhatTheCallerMayRead(URI base) throws Exception {
        try (SseClient secret = SseClient.open(base, "api/events?channel=user.alice.private", bearer(alice()));
             SseClient open = SseClient.open(base, "api/events?channel=lobby")) {
            assertTrue(secret.awaitCount("connected", 1, WAIT));
            assertTrue(open.awaitCount("connected", 1, WAIT));
            String anonymous = Http.raw(base, "GET", "api/channels", Map.of(), null).body();
            assertTrue(anonymous.contains("\"lobby\""), anonymous);
            assertFalse(anonymous.contains("user.alice"), anonymous);
            String asAlice = Http.raw(base, "GET", "api/channels", bearer(alice()), null).body();
            assertTrue(asAlice.contains("user.alice.private"), asAlice);
        }
    }

    /** A JAX-RS filter would pass the HTTP tests too: these calls go straight to the CDI beans, outside JAX-RS. */
    @Test
    void theInterceptorsRefuseCdiCallsMadeOutsideJaxRs(HeraldServer server, URI base) throws Exception {
        Publisher publisher = server.cdi().select(Publisher.class).get();
        try (SseClient watcher = SseClient.open(base, "api/events?channel=public.cdi")) {
            assertTrue(watcher.awaitCount("connected", 1, WAIT));
            ApiException publish = assertThrows(ApiException.class,
                    () -> publisher.publish(EventDraft.of("public.cdi", "leak", Json.createValue(1))));
            assertEquals(401, publish.status());
            ApiException batch = assertThrows(ApiException.class,
                    () -> publisher.publishAll(List.of(EventDraft.of("public.cdi", "leak", Json.createValue(1)))));
            assertEquals(401, batch.status());
            ApiException direct = assertThrows(ApiException.class,
                    () -> publisher.sendToClient("nobody", EventDraft.of("x", "leak", Json.createValue(1))));
            assertEquals(401, direct.status());

            StreamAdmission admission = server.cdi().select(StreamAdmission.class).get();
            StreamRequest secret = new StreamRequest(Subscription.parse(List.of("news"), List.of(), List.of(),
                    List.of(), 10), false, null);
            assertEquals(401, assertThrows(ApiException.class, () -> admission.admit(secret, null)).status());

            PollService polls = server.cdi().select(PollService.class).get();
            PollQuery query = PollQuery.of(List.of("news"), List.of(), List.of(), List.of(), null, null);
            assertEquals(401, assertThrows(ApiException.class,
                    () -> polls.poll(query, io.herald.delivery.Viewer.ANONYMOUS, null)).status());

            // trusted in-process publishing still works, and is the only thing the watcher sees
            publisher.publish(io.herald.publish.HeraldMessage.ofText("public.cdi", "trusted", "ok"));
            assertTrue(watcher.awaitCount("trusted", 1, WAIT));
            assertEquals(Set.of("connected", "trusted"),
                    Set.copyOf(watcher.events().stream().map(e -> e.type())
                            .filter(t -> !t.equals("heartbeat")).toList()));
        }
    }
}
