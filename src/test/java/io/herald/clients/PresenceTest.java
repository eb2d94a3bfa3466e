package io.herald.clients;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence: join and leave events on presence channels, and who is there. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.presence.channels=room.*", "herald.heartbeat.interval-ms=1000"})
class PresenceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void joinAndLeaveAreAnnouncedAndListed(URI base) throws Exception {
        try (SseClient alice = SseClient.open(base, "api/events?channel=room.lobby")) {
            String aliceId = alice.clientId();
            assertTrue(alice.awaitCount("join", 1, WAIT), "alice sees her own join");
            String bobId;
            try (SseClient bob = SseClient.open(base, "api/events?channel=room.lobby&channel=elsewhere")) {
                bobId = bob.clientId();
                assertTrue(alice.awaitCount("join", 2, WAIT), alice::rawText);
                JsonObject join = json(alice.events("join").get(1).data());
                assertEquals(bobId, join.getString("clientId"));
                assertEquals("room.lobby", join.getString("channel"));
                assertTrue(join.containsKey("connectedAt") && join.containsKey("subject"));

                var presence = json(Http.get(base, "api/channels/room.lobby/presence").body());
                Set<String> members = presence.getJsonArray("members").stream()
                        .map(v -> v.asJsonObject().getString("clientId")).collect(Collectors.toSet());
                assertEquals(Set.of(aliceId, bobId), members);
            }
            assertTrue(alice.awaitCount("leave", 1, Duration.ofSeconds(10)), alice::rawText);
            assertEquals(bobId, json(alice.events("leave").get(0).data()).getString("clientId"));
            var presence = json(Http.get(base, "api/channels/room.lobby/presence").body());
            assertEquals(List.of(aliceId), presence.getJsonArray("members").stream()
                    .map(v -> v.asJsonObject().getString("clientId")).toList());
        }
    }

    @Test
    void channelsWithoutPresenceGetNoJoinEvents(URI base) throws Exception {
        try (SseClient c = SseClient.open(base, "api/events?channel=quiet.room")) {
            c.clientId();
            Http.publish(base, "quiet.room", "x", "1");
            assertTrue(c.awaitCount("x", 1, WAIT));
            assertTrue(c.events("join").isEmpty());
        }
    }
}
