package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/** The share of subscribers held by this process's LoadGen: process proc of procs holds clients i with i % procs == proc. */
final class LocalSubscribers implements Subscribers {
    private final LoadGen lg;
    private final int procs, proc;

    LocalSubscribers(LoadGen lg, int procs, int proc) {
        this.lg = lg; this.procs = procs; this.proc = proc;
    }

    @Override public void addClients(int total, int perClient, int stallEvery) {
        lg.addClients(total, perClient, procs, proc, Subscribers.stallCandidates(stallEvery));
    }

    @Override public Tally tally(long[] acked) {
        return lg.call(() -> {
            Tally t = new Tally();
            for (LoadGen.Client c : lg.clients) {
                if (c.streaming) t.streaming++;
                if (!c.everEstablished || c.isRefused) continue;
                t.resumable++;
                if (c.stalled) continue;
                t.missing += c.missing(acked);
                for (int ch : c.channels) t.expectedDeliveries += acked[ch];
            }
            t.established = lg.established; t.connecting = lg.connecting(); t.refused = lg.refused;
            t.httpErrors = lg.httpErrors; t.connectFailures = lg.connectFailures; t.deliveries = lg.deliveries;
            t.duplicates = lg.duplicates; t.foreign = lg.foreign; t.heartbeats = lg.heartbeats; t.resets = lg.resets;
            t.unexpectedCloses = lg.unexpectedCloses; t.reconnects = lg.reconnects; t.protocolErrors = lg.protocolErrors;
            t.firstConnectNs = lg.firstConnectNs; t.lastEstablishedNs = lg.lastEstablishedNs;
            return t;
        });
    }

    @Override public Histogram histogram(Hist which) { return lg.call(() -> which.in(lg).copy()); }

    @Override public void reset(Hist... which) { lg.exec(() -> { for (Hist h : which) h.in(lg).reset(); }); }

    @Override public void dropAll() {
        lg.exec(() -> { lg.recordLatency = false; for (LoadGen.Client c : lg.clients) if (c.streaming) c.drop(); });
    }

    @Override public void reconnectAll(int maxPendingConnects) {
        lg.exec(() -> {
            lg.opt.maxPendingConnects = maxPendingConnects;
            for (LoadGen.Client c : lg.clients) if (c.everEstablished && !c.isRefused) lg.reconnect(c);
        });
    }

    @Override public List<Long> stall() {
        return lg.call(() -> {
            List<Long> keys = new ArrayList<>();
            for (LoadGen.Client c : lg.clients) if (c.stallCandidate && c.streaming) { c.stall(); keys.add(c.localKey); }
            return keys;
        });
    }

    @Override public List<Long> pids() { return List.of(ProcessHandle.current().pid()); }

    /** The LoadGen belongs to whoever created it; it outlives this view. */
    @Override public void close() {}
}
