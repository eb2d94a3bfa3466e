package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: the load generator against the in-process plain SseBroadcaster peer. */
class SmokeTest {

    private static Bench.Config config(int port, int streams, int channels, double rate, double seconds) {
        Bench.Config c = new Bench.Config();
        c.target = "plain";
        c.url = "http://127.0.0.1:" + port;
        c.scenario = "channels";
        c.streams = streams;
        c.channels = channels;
        c.perClient = 1;
        c.rate = rate;
        c.duration = seconds;
        c.warmup = 0.3;
        c.gc = false;
        c.serverPid = ProcessHandle.current().pid();
        c.serverChildren = false;
        c.localAddrs = 8;
        return c;
    }

    private static long num(Map<String, Object> r, String path) { return ((Number) Bench.path(r, path)).longValue(); }

    @Test
    void everySubscriberGetsEveryEventExactlyOnce() throws Exception {
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 500, null)) {
            Bench.Config c = config(peer.port, 300, 10, 40, 3);
            c.drainTimeout = 10;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertEquals(300, num(r, "connect.established"), "all streams up");
            assertEquals(0, num(r, "connect.connectFailures"));
            long published = num(r, "correctness.published");
            assertTrue(published >= 100, "published " + published);
            assertEquals(0, num(r, "correctness.publishErrors"));
            // 10 channels, 30 subscribers each, round-robin publishing: every event reaches 30 streams
            long expected = num(r, "correctness.expectedDeliveries");
            assertEquals(30 * published, expected, "expected = subscribers x events");
            assertEquals(expected, num(r, "correctness.deliveries"), "delivered = subscribers x events");
            assertEquals(0, num(r, "correctness.loss"));
            assertEquals(0, num(r, "correctness.duplicates"));
            assertEquals(0, num(r, "correctness.foreign"));
            assertEquals(0, num(r, "correctness.protocolErrors"));
            assertTrue(num(r, "results.latencyMs.count") > 0, "latencies recorded");
            assertTrue(((Number) Bench.path(r, "results.serverCpuSeconds")).doubleValue() > 0, "cpu read from /proc");
        }
    }

    @Test
    void aSkippedEventIsReportedAsLossAndARepeatAsDuplicate() throws Exception {
        // ch3 is subscribed by clients 3, 8, 13, ... : 100 streams over 5 channels = 20 subscribers
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 0, "skip:ch3:2")) {
            Bench.Config c = config(peer.port, 100, 5, 50, 1);
            c.drainTimeout = 3;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertEquals(100, num(r, "connect.established"));
            assertTrue(num(r, "correctness.published") >= 20);
            assertEquals(20, num(r, "correctness.loss"), "one missing seq on ch3 x 20 subscribers");
            assertEquals(num(r, "correctness.expectedDeliveries") - 20, num(r, "correctness.deliveries"));
            assertEquals(0, num(r, "correctness.duplicates"));
        }
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 0, "dup:ch1:3")) {
            Bench.Config c = config(peer.port, 100, 5, 50, 1);
            c.drainTimeout = 10;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertEquals(100, num(r, "connect.established"));
            assertEquals(0, num(r, "correctness.loss"));
            assertEquals(20, num(r, "correctness.duplicates"), "one repeated seq on ch1 x 20 subscribers");
            assertEquals(num(r, "correctness.expectedDeliveries"), num(r, "correctness.deliveries"));
        }
    }
}
