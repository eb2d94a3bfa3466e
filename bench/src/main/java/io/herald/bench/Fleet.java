package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every subscriber of a run: the coordinator's own share, held by the LoadGen that also publishes, and the shares of
 * the worker JVMs it starts for --procs N. Every command goes to every process; counters add up and histograms merge.
 * Workers measure latency against the publisher's System.nanoTime() in the payload, which is valid because HotSpot on
 * Linux reads CLOCK_MONOTONIC, one clock for all processes of a host (so workers run on the coordinator's host).
 */
final class Fleet implements Subscribers {
    private final LoadGen publisher;
    private final List<Subscribers> members = new ArrayList<>();

    private Fleet(LoadGen publisher) { this.publisher = publisher; }

    /** The coordinator's share in lg, plus c.procs - 1 workers, started together and awaited. */
    static Fleet start(Bench.Config c, LoadGen lg) throws IOException {
        if (c.procs < 1) throw new IllegalArgumentException("--procs must be at least 1, not " + c.procs);
        Fleet f = new Fleet(lg);
        f.members.add(new LocalSubscribers(lg, c.procs, 0));
        try {
            List<RemoteSubscribers> workers = new ArrayList<>();
            for (int k = 1; k < c.procs; k++) {
                RemoteSubscribers w = RemoteSubscribers.launch(c, k);
                f.members.add(w);
                workers.add(w);
            }
            for (RemoteSubscribers w : workers) w.awaitStarted();
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** The tally against what the publisher has had acknowledged so far. */
    Tally tally() { return tally(publisher.ackedCounts()); }

    @Override public void addClients(int total, int perClient, int stallEvery) {
        for (Subscribers m : members) m.addClients(total, perClient, stallEvery);
    }

    @Override public Tally tally(long[] acked) {
        Tally t = new Tally();
        for (Subscribers m : members) t = t.plus(m.tally(acked));
        return t;
    }

    @Override public Histogram histogram(Hist which) {
        Histogram h = members.get(0).histogram(which);
        for (Subscribers m : members.subList(1, members.size())) h.add(m.histogram(which));
        return h;
    }

    @Override public void reset(Hist... which) { for (Subscribers m : members) m.reset(which); }

    @Override public void dropAll() { for (Subscribers m : members) m.dropAll(); }

    @Override public void reconnectAll(int maxPendingConnects) { for (Subscribers m : members) m.reconnectAll(maxPendingConnects); }

    @Override public List<Long> stall() {
        List<Long> keys = new ArrayList<>();
        for (Subscribers m : members) keys.addAll(m.stall());
        return keys;
    }

    @Override public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Subscribers m : members) pids.addAll(m.pids());
        return pids;
    }

    /** CPU seconds of every load generator process so far (utime + stime); -1 when one cannot be read. */
    double cpuSeconds() {
        double sum = 0;
        for (long pid : pids()) {
            double s = ProcStats.cpuSeconds(pid, false);
            if (s < 0) return -1;
            sum += s;
        }
        return sum;
    }

    /**
     * Per process: pid, the streams it established and its CPU seconds in this run: the coordinator's since
     * coordinatorCpu0, a worker's since it started. Each process is read once, so the entries add up to the total.
     */
    List<Map<String, Object>> processes(double coordinatorCpu0) {
        long[] acked = publisher.ackedCounts();
        List<Map<String, Object>> l = new ArrayList<>();
        for (Subscribers m : members) {
            Map<String, Object> p = new LinkedHashMap<>();
            long pid = m.pids().get(0);
            p.put("pid", pid);
            p.put("established", m.tally(acked).established);
            p.put("cpuSeconds", ProcStats.cpuSeconds(pid, false) - (l.isEmpty() ? coordinatorCpu0 : 0));
            l.add(p);
        }
        return l;
    }

    /** Stops the workers; the coordinator's LoadGen is closed by its owner. */
    @Override public void close() {
        for (Subscribers m : members) m.close();
    }
}
