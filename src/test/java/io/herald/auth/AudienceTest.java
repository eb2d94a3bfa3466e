package io.herald.auth;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private and permission-restricted events reach only the viewers allowed to see them, on every path: live,
 * {@code Last-Event-ID} replay, and both polling endpoints.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig(secureDefaults = true, value = {
        "herald.auth.jwt.secret=" + TestTokens.SECRET,
        "herald.auth.public-channels=room",
        "herald.limits.streams-per-subject=0",
        "herald.heartbeat.interval-ms=60000"})
class AudienceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final List<String> ALL = List.of("everyone", "private", "vip", "private-vip");

    record Viewer(String name, String token, List<String> sees) {
        Map<String, String> headers() {
            Map<String, String> h = new HashMap<>();
            if (token != null) {
                h.put("Authorization", "Bearer " + token);
            }
            return h;
        }
    }

    static List<Viewer> viewers() {
        return List.of(
                new Viewer("anonymous", null, List.of("everyone")),
                new Viewer("member", TestTokens.forSubject("member").subscribe("room").sign(),
                        List.of("everyone", "private")),
                new Viewer("vip without grant", TestTokens.forSubject("guest").permissions("vip").sign(),
                        List.of("everyone", "vip")),
                new Viewer("vip member", TestTokens.forSubject("vip").subscribe("r*", "room").permissions("vip").sign(),
                        ALL));
    }

    private static String publish(URI base, String type, String audience) throws Exception {
        HttpResponse<String> r = Http.post(base, "api/channels/room/events",
                "{\"event\":\"" + type + "\",\"data\":\"" + type + "\"" + audience + "}");
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find());
        return m.group(1);
    }

    private static List<String> types(List<SseEvent> events) {
        return events.stream().map(SseEvent::type).filter(ALL::contains).toList();
    }

    @Test
    void noPathLeaks(URI base) throws Exception {
        String before = publish(base, "marker", "");
        List<SseClient> live = new ArrayList<>();
        try {
            for (Viewer v : viewers()) {
                SseClient c = SseClient.open(base, "api/events?channel=room", v.headers());
                assertEquals(200, c.status(), v.name());
                assertTrue(c.awaitCount("connected", 1, WAIT), v.name());
                live.add(c);
            }
            publish(base, "everyone", "");
            publish(base, "private", ",\"private\":true");
            publish(base, "vip", ",\"permission\":\"vip\"");
            publish(base, "private-vip", ",\"private\":true,\"permission\":\"vip\"");
            publish(base, "sentinel", "");
            for (int i = 0; i < live.size(); i++) {
                Viewer v = viewers().get(i);
                SseClient c = live.get(i);
                assertTrue(c.awaitCount("sentinel", 1, WAIT), v.name());
                assertEquals(v.sees(), types(c.events()), "live: " + v.name());
            }
        } finally {
            live.forEach(SseClient::close);
        }

        for (Viewer v : viewers()) {
            Map<String, String> resume = v.headers();
            resume.put("Last-Event-ID", before);
            try (SseClient c = SseClient.open(base, "api/events?channel=room", resume)) {
                assertTrue(c.awaitCount("sentinel", 1, WAIT), v.name());
                assertEquals(v.sees(), types(c.events()), "replay: " + v.name());
            }
            for (String path : List.of("api/channels/room/events?after=" + before,
                    "api/events/poll?channel=room&after=" + before)) {
                HttpResponse<String> poll = Http.raw(base, "GET", path, v.headers(), null);
                assertEquals(200, poll.statusCode(), poll.body());
                List<String> seen = new ArrayList<>();
                Matcher m = Pattern.compile("\"event\":\"([^\"]+)\"").matcher(poll.body());
                while (m.find()) {
                    if (ALL.contains(m.group(1))) {
                        seen.add(m.group(1));
                    }
                }
                assertEquals(v.sees(), seen, path + ": " + v.name());
            }
        }
    }
}
