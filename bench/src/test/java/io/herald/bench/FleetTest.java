package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a run is split over processes, and how worker processes start, fail and stop. */
class FleetTest {

    private static Bench.Config config(int port) {
        Bench.Config c = new Bench.Config();
        c.target = "plain";
        c.url = "http://127.0.0.1:" + port;
        c.channels = 4;
        c.localAddrs = 3;
        return c;
    }

    /** Global index -> "channels, stall candidate, source address" of the clients process proc of procs creates. */
    private static Map<Integer, String> share(ServerSocket server, int procs, int proc) throws Exception {
        Bench.Config c = config(server.getLocalPort());
        try (LoadGen lg = new LoadGen(Bench.target(c), c.channels, Bench.options(c))) {
            lg.addClients(10, 3, procs, proc, Subscribers.stallCandidates(4));
            return lg.call(() -> {
                Map<Integer, String> m = new HashMap<>();
                for (LoadGen.Client cl : lg.clients)
                    m.put(cl.idx, Arrays.toString(cl.channels) + " " + cl.stallCandidate + " 127.0.0." + ((cl.localKey >> 16) & 0xff));
                return m;
            });
        }
    }

    @Test
    void threeProcessesSubscribeExactlyWhatOneDoes() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) { // accepts nothing: the clients only need to bind and connect
            Map<Integer, String> one = share(server, 1, 0);
            assertEquals(10, one.size());
            assertEquals("[3, 0, 1] false 127.0.0.2", one.get(1), "client 1: channels 3..5 mod 4, address by index");
            assertEquals("[2, 3, 0] true 127.0.0.3", one.get(2), "client 2: the stall candidate of every 4");
            Map<Integer, String> split = new HashMap<>();
            for (int proc = 0; proc < 3; proc++) {
                Map<Integer, String> s = share(server, 3, proc);
                for (int i : s.keySet()) assertEquals(proc, i % 3, "client " + i + " lives in process i % 3");
                split.putAll(s);
            }
            assertEquals(one, split);
        }
    }

    @Test
    void aWorkerThatCannotStartFailsTheRun() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Bench.Config c = config(server.getLocalPort());
            c.procs = 2;
            c.workerJvm = "-XX:+NoSuchJvmOption";
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Bench.run(c));
            assertTrue(e.getMessage().contains("ended before answering 'start', exit code 1"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 30e9, "failed at once, did not wait for the start timeout");
        }
    }

    @Test
    void aWorkerThatDiesFailsTheNextRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0); LoadGen lg = lg(server); Fleet fleet = fleet(server, lg)) {
            fleet.addClients(4, 1, 0);
            // nothing is ever accepted: all 4 stay connecting, 2 of them in the worker
            assertEquals(4, fleet.tally().connecting);
            ProcessHandle worker = ProcessHandle.of(fleet.pids().get(1)).orElseThrow();
            assertTrue(worker.destroyForcibly());
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, fleet::tally);
            assertTrue(e.getMessage().contains("load generator worker 1"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 30e9, "failed at once, did not wait for the reply timeout");
            assertThrows(IllegalStateException.class, fleet::tally, "and stays failed");
        }
    }

    @Test
    void workersExitWhenTheCoordinatorIsDone() throws Exception {
        try (ServerSocket server = new ServerSocket(0); LoadGen lg = lg(server)) {
            Fleet fleet = fleet(server, lg);
            ProcessHandle worker = ProcessHandle.of(fleet.pids().get(1)).orElseThrow();
            assertTrue(worker.isAlive());
            long t0 = System.nanoTime();
            fleet.close();
            assertTrue(System.nanoTime() - t0 < 9e9, "exited on its own after its stdin closed, was not killed");
            assertFalse(worker.isAlive());
        }
    }

    private static LoadGen lg(ServerSocket server) throws Exception {
        Bench.Config c = config(server.getLocalPort());
        return new LoadGen(Bench.target(c), c.channels, Bench.options(c));
    }

    private static Fleet fleet(ServerSocket server, LoadGen lg) throws Exception {
        Bench.Config c = config(server.getLocalPort());
        c.procs = 2;
        return Fleet.start(c, lg);
    }
}
