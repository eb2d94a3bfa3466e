package io.herald.redis;

import io.herald.event.Audience;
import io.herald.event.EventDraft;
import io.herald.event.HubEvent;
import io.herald.history.BrokerUnavailableException;
import io.herald.history.Replay;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis broker's replay against a real Redis: from the entries a node dispatched when they reach back to the
 * client's id, else from the stream ({@code XRANGE}). Both must give the same events, and the in-memory one must keep
 * working while Redis is away.
 */
class RedisBrokerReplayIT {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f");

    private RedisServer redis;
    private final List<AutoCloseable> open = new ArrayList<>();
    private String uri;

    @BeforeEach
    void startRedis() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        uri = "redis://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (redis.isActive()) {
            redis.stop();
        }
    }

    /** A node's broker on the shared stream; {@code dispatched} counts the entries its reader handed on. */
    private RedisBroker node(String nodeId, int historySize, AtomicInteger dispatched) {
        RedisConnections connections = new RedisConnections(uri, 2000, 1);
        RedisBroker broker = new RedisBroker(connections, "{replay-test}", nodeId, historySize, 0, 0, Thread::new);
        open.add(connections);
        open.add(broker::stop);
        broker.start(e -> {
            dispatched.incrementAndGet();
            return 0;
        });
        return broker;
    }

    private static EventDraft draft(Random random, int i) {
        List<String> on = new ArrayList<>();
        for (String name : NAMES) {
            if (random.nextInt(4) == 0) {
                on.add(name);
            }
        }
        if (on.isEmpty()) {
            on.add(NAMES.get(random.nextInt(NAMES.size())));
        }
        return new EventDraft(on, null, Json.createValue(i), null, Audience.EVERYONE, null);
    }

    private static List<String> ids(List<HubEvent> events, Set<String> channels) {
        return events.stream().filter(e -> channels == null || e.channels().stream().anyMatch(channels::contains))
                .map(e -> e.id().text()).toList();
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, count.get(), "entries dispatched by the node's reader");
    }

    @Test
    void aNodeReplaysFromWhatItDispatchedExactlyWhatTheStreamHolds() throws Exception {
        AtomicInteger seenByEarly = new AtomicInteger();
        RedisBroker early = node("early", 100, seenByEarly);
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(early.append(draft(random, i)).toCompletableFuture().join().event().id().text());
        }
        // a node started now has none of the first 40 in memory: it must answer for them from the stream
        AtomicInteger seenByLate = new AtomicInteger();
        RedisBroker late = node("late", 100, seenByLate);
        for (int i = 40; i < 120; i++) {
            ids.add(early.append(draft(random, i)).toCompletableFuture().join().event().id().text());
        }
        awaitCount(seenByEarly, 120);
        awaitCount(seenByLate, 80);

        for (int from = 0; from < ids.size(); from += 3) {
            Set<String> wanted = new HashSet<>(List.of(NAMES.get(random.nextInt(6)), NAMES.get(random.nextInt(6))));
            Replay fromLate = late.readAfter(ids.get(from), wanted);
            Replay fromEarly = early.readAfter(ids.get(from), wanted);
            Replay all = early.readAfter(ids.get(from));
            assertFalse(fromLate.isReset(), "after " + ids.get(from) + ": within the stream's history");
            assertFalse(fromEarly.isReset());
            List<String> expected = new ArrayList<>();
            for (int j = from + 1; j < ids.size(); j++) {
                expected.add(ids.get(j));
            }
            assertEquals(expected, ids(all.events(), null), "after " + ids.get(from) + ": every later event, once");
            assertEquals(ids(all.events(), wanted), ids(fromEarly.events(), wanted),
                    "after " + ids.get(from) + " on " + wanted + ": in log order, each event once");
            assertEquals(ids(all.events(), wanted), ids(fromLate.events(), wanted));
            assertEquals(ids.get(ids.size() - 1), fromEarly.upTo().text(), "replayed up to the last dispatched");
        }
        assertTrue(late.readAfter(ids.get(119), Set.of("a")).events().isEmpty(), "nothing after the head");
        assertEquals("unknown-id", late.readAfter("99999999999999-0").reset().reason(), "an id from the future");
    }

    @Test
    void aResumeFromMemoryNeedsNoRedisAndOlderIdsStillComeFromTheStream() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        RedisBroker broker = node("n", 10, seen);
        Random random = new Random(11);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(broker.append(draft(random, i)).toCompletableFuture().join().event().id().text());
        }
        awaitCount(seen, 30);
        // older than the node's last 10: from the stream, which trims only approximately, or a reset; never a gap
        Replay old = broker.readAfter(ids.get(5));
        if (!old.isReset()) {
            assertEquals(ids.subList(6, 30), ids(old.events(), null), "everything after the id, from the stream");
        } else {
            assertEquals("expired", old.reset().reason());
        }

        redis.stop();
        Replay recent = broker.readAfter(ids.get(24), Set.of("a", "b", "c", "d", "e", "f"));
        assertFalse(recent.isReset());
        assertEquals(ids.subList(25, 30), ids(recent.events(), null), "the last five, from memory, Redis down");
        assertEquals(ids.get(29), recent.upTo().text());
        assertThrows(BrokerUnavailableException.class, () -> broker.readAfter(ids.get(5)),
                "an id only the stream can answer for waits for Redis");
    }
}
