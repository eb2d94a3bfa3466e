package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    /** Every acknowledged publish reached each of its channel's {@code subscribers} once, and nothing else arrived. */
    private static void assertEveryEventReachedEachSubscriberOnce(Map<String, Object> r, int subscribers) {
        long published = num(r, "correctness.published");
        assertEquals(0, num(r, "correctness.publishErrors"));
        long expected = num(r, "correctness.expectedDeliveries");
        assertEquals(subscribers * published, expected, "expected = subscribers x events");
        assertEquals(expected, num(r, "correctness.deliveries"), "delivered = subscribers x events");
        assertEquals(0, num(r, "correctness.loss"));
        assertEquals(0, num(r, "correctness.duplicates"));
        assertEquals(0, num(r, "correctness.foreign"));
    }

    /** 300 streams over 10 channels, split over procs processes: every published event reaches its 30 streams once. */
    private static Map<String, Object> runEveryEventExactlyOnce(int procs) throws Exception {
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 500, null)) {
            Bench.Config c = config(peer.port, 300, 10, 40, 3);
            c.procs = procs;
            c.drainTimeout = 10;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertEquals(300, num(r, "connect.established"), "all streams up");
            assertEquals(300, num(r, "connect.streaming"));
            assertEquals(0, num(r, "connect.connectFailures"));
            long published = num(r, "correctness.published");
            assertTrue(published >= 100, "published " + published);
            // 10 channels, 30 subscribers each, round-robin publishing: every event reaches 30 streams
            assertEveryEventReachedEachSubscriberOnce(r, 30);
            assertEquals(0, num(r, "correctness.protocolErrors"));
            assertTrue(num(r, "results.latencyMs.count") > 0, "latencies recorded");
            return r;
        }
    }

    @Test
    void everySubscriberGetsEveryEventExactlyOnce() throws Exception {
        Map<String, Object> r = runEveryEventExactlyOnce(1);
        assertTrue(((Number) Bench.path(r, "results.serverCpuSeconds")).doubleValue() > 0, "cpu read from /proc");
        // the peer runs in this JVM, so its ramp CPU is this process's: 300 connects cost it some
        double perConnect = ((Number) Bench.path(r, "connect.serverCpuUsPerConnect")).doubleValue();
        assertTrue(perConnect > 0, "server CPU per connect read over the ramp: " + perConnect);
        assertEquals(((Number) Bench.path(r, "connect.serverCpuSeconds")).doubleValue() * 1e6 / 300, perConnect, 1e-6);
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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> processes(Map<String, Object> r) {
        return (List<Map<String, Object>>) Bench.path(r, "loadgen.processes");
    }

    /** Two processes, 150 streams each: the coordinator (this JVM) and a worker JVM it started. */
    private static void assertSplitInTwo(Map<String, Object> r, int streams) {
        assertEquals(2, num(r, "procs"));
        List<Map<String, Object>> procs = processes(r);
        assertEquals(2, procs.size(), "one entry per process: " + procs);
        assertEquals(ProcessHandle.current().pid(), ((Number) procs.get(0).get("pid")).longValue(), "the coordinator first");
        assertNotEquals(procs.get(0).get("pid"), procs.get(1).get("pid"), "the worker is a process of its own");
        for (Map<String, Object> p : procs) assertEquals(streams / 2, ((Number) p.get("established")).longValue(), "each holds its half: " + p);
        double workerCpu = (Double) procs.get(1).get("cpuSeconds");
        assertTrue(workerCpu > 0, "the worker's CPU was read from /proc: " + procs);
        double sum = procs.stream().mapToDouble(p -> (Double) p.get("cpuSeconds")).sum();
        assertEquals(sum, (Double) Bench.path(r, "loadgen.cpuSeconds"), 1e-9, "load generator CPU counts every process");
    }

    @Test
    void twoProcessesDeliverExactlyWhatOneWould() throws Exception {
        Map<String, Object> r = runEveryEventExactlyOnce(2);
        assertSplitInTwo(r, 300);
        assertTrue(((Number) Bench.path(r, "results.loadgenCpuUtil")).doubleValue() > 0);
    }

    @Test
    void aSkippedEventIsCountedInBothProcesses() throws Exception {
        // ch3's 20 subscribers (clients 3, 8, 13, ...) alternate between the processes: 10 in each
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 0, "skip:ch3:2")) {
            Bench.Config c = config(peer.port, 100, 5, 50, 1);
            c.procs = 2;
            c.drainTimeout = 3;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertEquals(100, num(r, "connect.established"));
            assertSplitInTwo(r, 100);
            assertTrue(num(r, "correctness.published") >= 20);
            assertEquals(20, num(r, "correctness.loss"), "one missing seq on ch3 x 20 subscribers in two processes");
            assertEquals(num(r, "correctness.expectedDeliveries") - 20, num(r, "correctness.deliveries"));
            assertEquals(0, num(r, "correctness.duplicates"));
        }
    }

    @Test
    void everyProcessDropsAndReconnects() throws Exception {
        // the plain peer does not replay: the 3 events per channel published during the drop stay missing
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 0, null)) {
            Bench.Config c = config(peer.port, 200, 10, 200, 1);
            c.scenario = "reconnect";
            c.procs = 2;
            c.beforeDrop = 2;
            c.duringDrop = 3;
            c.catchupTimeout = 3;
            c.drainTimeout = 1;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            assertSplitInTwo(r, 200);
            assertEquals(200, num(r, "results.streamsBeforeDrop"));
            assertEquals(30, num(r, "results.publishedWhileDropped"));
            assertEquals(200 * 3, num(r, "results.missingBeforeReconnect"), "every client missed its channel's 3 events");
            assertEquals(200, num(r, "results.clients"));
            assertNotNull(Bench.path(r, "results.allReconnectedSeconds"), "all 200 streaming again");
            assertEquals(200, num(r, "results.reconnects"));
            assertEquals(200 * 3, num(r, "results.missingAtEnd"));
            assertEquals(200 * 3, num(r, "correctness.loss"));
            assertEquals(0, num(r, "correctness.duplicates"));
            assertEquals(0, num(r, "correctness.protocolErrors"));
        }
    }

    @Test
    void theFanOutPublishWarmUpReachesNoSubscriberAndIsNotCounted() throws Exception {
        try (PlainPeer.Server peer = PlainPeer.start("127.0.0.1", 0, 0, null)) {
            Bench.Config c = config(peer.port, 100, 1, 20, 1);
            c.scenario = "fanout";
            c.steps = "20";
            c.stepSeconds = 1;
            c.fanoutPublishWarmup = 0.5;
            c.fanoutPublishWarmupRate = 400;
            c.drainTimeout = 5;
            Map<String, Object> r = Bench.run(c);
            System.out.println(Bench.summary(r));
            long published = num(r, "correctness.published");
            assertTrue(published >= 20 && published < 200, "only the step's events on ch0 are counted: " + published);
            // every step event reached all 100, and no warm-up event (ch1) reached a subscriber (foreign 0)
            assertEveryEventReachedEachSubscriberOnce(r, 100);
        }
    }
}
