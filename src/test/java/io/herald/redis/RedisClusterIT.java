package io.herald.redis;

import io.herald.testing.HeraldCluster;
import io.herald.testing.HeraldCluster.Node;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several Herald JVMs on one Redis behave as one hub: delivery across nodes, resume on another node, presence,
 * a node killed with SIGKILL, and a Redis stop and start while publishing goes on.
 */
class RedisClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Map<String, String> CONFIG = Map.of(
            "herald.heartbeat.interval-ms", "1000",
            "herald.redis.heartbeat-ms", "300",
            "herald.redis.node-ttl-ms", "2000",
            "herald.redis.retry-after-seconds", "1",
            "herald.presence.channels", "room.*");

    private static HeraldCluster cluster;
    private static Node a;
    private static Node b;

    @BeforeAll
    static void start() throws Exception {
        cluster = new HeraldCluster();
        a = cluster.startNode(CONFIG);
        b = cluster.startNode(CONFIG);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static List<String> ids(SseClient client, String type) {
        return client.events(type).stream().map(SseEvent::id).toList();
    }

    @Test
    void eventsPublishedOnOneNodeReachSubscribersOnAnother() throws Exception {
        try (SseClient onA = SseClient.open(a.base(), "api/events?channel=cross.*");
             SseClient onB = SseClient.open(b.base(), "api/events?channel=cross.*")) {
            onA.clientId();
            onB.clientId();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                published.add(Http.publish(i % 2 == 0 ? a.base() : b.base(), "cross." + (i % 3), "tick", "" + i));
            }
            assertTrue(onA.awaitCount("tick", 100, WAIT), "node A's subscriber got every event");
            assertTrue(onB.awaitCount("tick", 100, WAIT), "node B's subscriber got every event");
            assertEquals(published, ids(onA, "tick"), "in publish order on A");
            assertEquals(published, ids(onB, "tick"), "in publish order on B");
        }
    }

    @Test
    void aClientResumesOnAnotherNodeWithNothingLostOrDoubled() throws Exception {
        List<String> seen = new ArrayList<>();
        String last;
        try (SseClient first = SseClient.open(a.base(), "api/events?channel=resume.x")) {
            first.clientId();
            for (int i = 0; i < 10; i++) {
                Http.publish(b.base(), "resume.x", "step", "" + i);
            }
            assertTrue(first.awaitCount("step", 10, WAIT), "first ten");
            seen.addAll(ids(first, "step"));
            last = first.lastEventId();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 10; i < 25; i++) {
            missed.add(Http.publish(a.base(), "resume.x", "step", "" + i));
        }
        try (SseClient second = SseClient.open(b.base(), "api/events?channel=resume.x", Map.of("Last-Event-ID", last))) {
            second.clientId();
            String live = Http.publish(a.base(), "resume.x", "step", "25");
            assertTrue(second.awaitCount("step", 16, WAIT), "replay then live");
            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertEquals(expected, ids(second, "step"));
            assertTrue(second.events("reset").isEmpty(), "no reset");
        }
        assertEquals(10, new HashSet<>(seen).size());
    }

    @Test
    void anUnknownIdOnAnyNodeGetsAReset() throws Exception {
        try (SseClient client = SseClient.open(b.base(), "api/events?channel=reset.x",
                Map.of("Last-Event-ID", "not-an-id"))) {
            assertTrue(client.awaitCount("reset", 1, WAIT), client::rawText);
        }
    }

    @Test
    void presenceAndClientSendsCoverTheCluster() throws Exception {
        try (SseClient watcher = SseClient.open(a.base(), "api/events?channel=room.lobby");
             SseClient onB = SseClient.open(b.base(), "api/events?channel=room.lobby")) {
            String watcherId = watcher.clientId();
            String bId = onB.clientId();
            assertTrue(watcher.await(list -> list.stream().anyMatch(e -> "join".equals(e.type())
                    && e.data().contains(bId)), WAIT), "node A's client sees the join on node B");
            for (Node node : List.of(a, b)) {
                String presence = Http.get(node.base(), "api/channels/room.lobby/presence").body();
                assertTrue(presence.contains(watcherId) && presence.contains(bId), presence);
            }
            HttpResponse<String> sent = Http.post(a.base(), "api/clients/" + bId + "/events",
                    "{\"event\":\"direct\",\"data\":\"for b\"}");
            assertEquals(201, sent.statusCode(), sent.body());
            assertTrue(onB.awaitCount("direct", 1, WAIT), "a send on node A reaches the client on node B");
            assertEquals(404, Http.post(b.base(), "api/clients/nobody/events", "{\"data\":1}").statusCode());

            String stats = Http.get(b.base(), "api/stats").body();
            assertTrue(stats.contains("\"cluster\":{\"nodes\":"), stats);
        }
    }

    @Test
    void aNodeKilledWithSigkillLosesItsClientsWithinOneTtlAndTheyResumeElsewhere() throws Exception {
        Node doomed = cluster.startNode(CONFIG);
        try (SseClient watcher = SseClient.open(a.base(), "api/events?channel=room.kill");
             SseClient victim = SseClient.open(doomed.base(), "api/events?channel=room.kill")) {
            watcher.clientId();
            String victimId = victim.clientId();
            String before = Http.publish(a.base(), "room.kill", "n", "0");
            assertTrue(victim.await(l -> l.stream().anyMatch(e -> before.equals(e.id())), WAIT));
            assertTrue(Http.get(a.base(), "api/channels/room.kill/presence").body().contains(victimId));

            doomed.kill();
            List<String> during = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                during.add(Http.publish(a.base(), "room.kill", "n", "" + i));
            }
            assertTrue(watcher.await(l -> l.stream().anyMatch(e -> "leave".equals(e.type())
                    && e.data().contains(victimId)), Duration.ofSeconds(6)), "leave within about one TTL");
            assertFalse(Http.get(b.base(), "api/channels/room.kill/presence").body().contains(victimId));

            try (SseClient back = SseClient.open(b.base(), "api/events?channel=room.kill",
                    Map.of("Last-Event-ID", before))) {
                back.clientId();
                assertTrue(back.awaitCount("n", 5, WAIT), back::rawText);
                assertEquals(during, ids(back, "n"));
            }
        }
    }

    /**
     * Redis (AOF, appendfsync always) is stopped with SIGTERM and started again while two publishers keep going.
     * Every event whose publish answered 201 reaches every subscriber exactly once, in one order on every node.
     */
    @Test
    void aRedisStopAndStartWhilePublishingLosesNoAcceptedEvent() throws Exception {
        List<SseClient> subscribers = List.of(
                SseClient.open(a.base(), "api/events?channel=outage.*"),
                SseClient.open(a.base(), "api/events?channel=outage.x"),
                SseClient.open(b.base(), "api/events?channel=outage.*"),
                SseClient.open(b.base(), "api/events?channel=outage.x"));
        try {
            for (SseClient s : subscribers) {
                s.clientId();
            }
            ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            AtomicBoolean go = new AtomicBoolean(true);
            List<Thread> publishers = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                Thread t = new Thread(() -> {
                    int i = 0;
                    while (go.get() && i < 5000) {
                        try {
                            HttpResponse<String> r = Http.post(node.base(), "api/channels/outage.x/events",
                                    "{\"event\":\"o\",\"data\":" + (i++) + "}");
                            if (r.statusCode() == 201) {
                                String body = r.body();
                                int at = body.indexOf("\"id\":\"") + 6;
                                accepted.add(body.substring(at, body.indexOf('"', at)));
                            } else if (r.statusCode() == 503
                                    && r.headers().firstValue("Retry-After").isPresent()) {
                                refused.incrementAndGet();
                                Thread.sleep(20);
                            } else {
                                other.incrementAndGet();
                            }
                        } catch (Exception e) {
                            other.incrementAndGet();
                        }
                    }
                }, "publisher-" + node.base().getPort());
                t.start();
                publishers.add(t);
            }
            Thread.sleep(1000);
            cluster.stopRedis();
            Thread.sleep(2000);
            int duringOutage = accepted.size();
            cluster.startRedis();
            Thread.sleep(2000);
            go.set(false);
            for (Thread t : publishers) {
                t.join(30_000);
            }

            System.out.println("outage test: " + accepted.size() + " accepted (" + duringOutage
                    + " before Redis came back), " + refused.get() + " refused with 503");
            assertEquals(0, other.get(), "every publish answered 201 or 503 with Retry-After");
            assertTrue(refused.get() > 0, "publishing was refused while Redis was down");
            assertTrue(accepted.size() > duringOutage, "publishing resumed after Redis came back");
            Set<String> acceptedIds = new HashSet<>(accepted);
            for (SseClient s : subscribers) {
                boolean all = s.await(l -> l.stream().filter(e -> "o".equals(e.type()) && acceptedIds.contains(e.id())).count()
                        == acceptedIds.size(), Duration.ofSeconds(30));
                Set<String> missing = new HashSet<>(acceptedIds);
                ids(s, "o").forEach(missing::remove);
                assertTrue(all, () -> "every accepted event arrived; missing " + missing.size() + " of "
                        + acceptedIds.size() + " " + missing.stream().sorted().limit(10).toList() + ", ended="
                        + s.ended() + ", got " + ids(s, "o").size() + ", other types "
                        + s.events().stream().map(SseEvent::type).distinct().toList());
            }
            List<String> order = ids(subscribers.get(0), "o");
            assertEquals(new HashSet<>(order).size(), order.size(), "no event twice");
            for (SseClient s : subscribers) {
                assertFalse(s.ended(), "the stream stayed open through the outage");
                assertEquals(order, ids(s, "o"), "one order on every node");
            }
        } finally {
            subscribers.forEach(SseClient::close);
        }
    }
}
