package io.herald.history;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 4 threads publish 20,000 events (in batches of 10) over 6 channels while 50 clients disconnect and resume at random by
 * Last-Event-ID: every client gets exactly its channels' events, in order, none missing, none doubled.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.history.size=50000", "herald.client.queue-size=50000", "herald.heartbeat.interval-ms=60000"})
class ReplayUnderLoadTest {

    private static final String[] CHANNELS = {"load.a", "load.b", "load.c", "load.d", "load.e", "other.f"};
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 5_000;
    private static final int CLIENTS = 50;
    private static final int BATCH = 10;

    record Published(long seq, String id, String channel) {
    }

    @Test
    void resumingClientsMissNothingAndGetNothingTwice(URI base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + CLIENTS);
        AtomicBoolean publishing = new AtomicBoolean(true);
        List<String> subscriptions = new ArrayList<>();
        List<List<String>> clientChannels = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < CLIENTS; i++) {
            String query;
            List<String> follows;
            switch (i % 4) {
                case 0 -> {
                    follows = List.of("load.a", "load.b", "load.c", "load.d", "load.e");
                    query = "channel=load.*";
                }
                case 1 -> {
                    String c = CHANNELS[random.nextInt(CHANNELS.length)];
                    follows = List.of(c);
                    query = "channel=" + c;
                }
                case 2 -> {
                    follows = List.of("load.a", "other.f");
                    query = "channels=load.a,other.f&channel=load.a";
                }
                default -> {
                    follows = List.of(CHANNELS);
                    query = "channel=load.*&channel=other.f&channel=load.b";
                }
            }
            subscriptions.add("api/events?" + query);
            clientChannels.add(follows);
        }
        // every client starts from the hub's position before the first publish (as an app that loads its state,
        // then streams from that position), so it must see every event of its channels
        var position = Http.get(base, "api/channels/load.a/events");
        assertEquals(200, position.statusCode(), position.body());
        var head = java.util.regex.Pattern.compile("\"lastEventId\":\"([^\"]+)\"").matcher(position.body());
        assertTrue(head.find(), position.body());
        List<SseClient> first = new ArrayList<>();
        for (String s : subscriptions) {
            SseClient c = SseClient.open(base, s, Map.of("Last-Event-ID", head.group(1)));
            first.add(c);
        }
        for (SseClient c : first) {
            assertTrue(c.awaitCount("connected", 1, Duration.ofSeconds(10)), "connected");
        }

        ConcurrentLinkedQueue<Published> published = new ConcurrentLinkedQueue<>();
        List<Future<?>> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int publisher = p;
            publishers.add(pool.submit(() -> {
                Random r = new Random(publisher);
                for (int n = 0; n < PER_PUBLISHER; n += BATCH) {
                    StringBuilder body = new StringBuilder("[");
                    List<String> channels = new ArrayList<>();
                    for (int k = 0; k < BATCH; k++) {
                        String channel = CHANNELS[r.nextInt(CHANNELS.length)];
                        channels.add(channel);
                        body.append(k == 0 ? "" : ",").append("{\"channel\":\"").append(channel)
                                .append("\",\"event\":\"tick\",\"data\":{\"p\":").append(publisher)
                                .append(",\"n\":").append(n + k).append("}}");
                    }
                    var response = Http.post(base, "api/events", body.append(']').toString());
                    assertEquals(201, response.statusCode(), response.body());
                    var ids = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
                    for (int k = 0; k < BATCH; k++) {
                        assertTrue(ids.find(), response.body());
                        published.add(new Published(seq(ids.group(1)), ids.group(1), channels.get(k)));
                    }
                }
                return null;
            }));
        }

        List<Future<List<SseEvent>>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            SseClient firstConnection = first.get(i);
            String subscription = subscriptions.get(i);
            long seed = i;
            clients.add(pool.submit(() -> {
                Random r = new Random(seed);
                List<SseEvent> received = new ArrayList<>();
                SseClient current = firstConnection;
                int reconnects = 0;
                while (publishing.get() || reconnects < 2) {
                    Thread.sleep(20 + r.nextInt(200));
                    String last = closeAndCollect(current, received);
                    Thread.sleep(r.nextInt(50));
                    current = SseClient.open(base, subscription,
                            last.isEmpty() ? Map.of() : Map.of("Last-Event-ID", last));
                    reconnects++;
                }
                // final connection: read until quiet
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int seen = -1;
                while (System.nanoTime() < deadline) {
                    Thread.sleep(300);
                    int now = current.events().size();
                    if (now == seen) {
                        break;
                    }
                    seen = now;
                }
                closeAndCollect(current, received);
                return received;
            }));
        }
        for (Future<?> f : publishers) {
            f.get(120, TimeUnit.SECONDS);
        }
        publishing.set(false);

        List<Published> log = new ArrayList<>(published);
        log.sort((a, b) -> Long.compare(a.seq, b.seq));
        assertEquals(PUBLISHERS * PER_PUBLISHER, log.size());
        for (int i = 0; i < CLIENTS; i++) {
            List<SseEvent> got = clients.get(i).get(120, TimeUnit.SECONDS);
            List<String> follows = clientChannels.get(i);
            List<String> expected = log.stream().filter(e -> follows.contains(e.channel)).map(Published::id).toList();
            List<String> ids = got.stream().map(SseEvent::id).toList();
            assertEquals(expected.size(), ids.size(), "client " + i + " (" + subscriptions.get(i) + ") event count; "
                    + "missing=" + missing(expected, ids) + " doubled=" + (ids.size() - ids.stream().distinct().count()));
            assertEquals(expected, ids, "client " + i + " gets exactly its channels' events in hub order");
        }
        pool.shutdownNow();
    }

    /** Closes, waits for the reader to finish, then takes its events and last id together. */
    private static String closeAndCollect(SseClient c, List<SseEvent> into) throws InterruptedException {
        c.close();
        if (!c.awaitEnd(Duration.ofSeconds(10))) {
            throw new AssertionError("client reader did not end after close");
        }
        into.addAll(dataEvents(c));
        return c.lastEventId();
    }

    private static List<String> missing(List<String> expected, List<String> got) {
        List<String> m = new ArrayList<>(expected);
        m.removeAll(got);
        return m.size() > 5 ? m.subList(0, 5) : m;
    }

    private static List<SseEvent> dataEvents(SseClient c) {
        return c.events().stream().filter(e -> e.type().equals("tick")).toList();
    }

    static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }
}
