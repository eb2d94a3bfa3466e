package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The subscriber streams of a run as Bench's scenarios drive them, whether one load generator process holds them
 * ({@link LocalSubscribers}), a worker JVM does ({@link RemoteSubscribers}) or several do together ({@link Fleet}).
 * The publisher is not part of it: only the coordinator's LoadGen publishes.
 */
interface Subscribers extends AutoCloseable {

    /** The histograms every subscriber records into. */
    enum Hist {
        LATENCY_US, HEARTBEAT_LATENESS_MS, HEARTBEAT_GAP_MS;

        Histogram in(LoadGen lg) {
            switch (this) {
                case LATENCY_US: return lg.latencyUs;
                case HEARTBEAT_LATENESS_MS: return lg.heartbeatLateMs;
                default: return lg.heartbeatGapMs;
            }
        }
    }

    /** Creates this share of clients 0..total-1 and starts connecting them; stallEvery 0 means no stall candidates. */
    void addClients(int total, int perClient, int stallEvery);

    /** Counters now; missing and expected deliveries are measured against the publisher's acked counts per channel. */
    Tally tally(long[] acked);

    /** A copy of the histogram. */
    Histogram histogram(Hist which);

    void reset(Hist... which);

    /** Closes every streaming client on purpose (no auto-reconnect) and stops recording latency. */
    void dropAll();

    /** Reopens every client that was once established and not refused, with Last-Event-ID. */
    void reconnectAll(int maxPendingConnects);

    /** Makes the streaming stall candidates stop reading; returns their local socket keys ((ip << 16) | port). */
    List<Long> stall();

    /** The processes holding these subscribers. */
    List<Long> pids();

    /** Stall candidates are picked by global client index, so every process picks the same set of a split run. */
    static java.util.function.IntPredicate stallCandidates(int every) {
        return every <= 0 ? null : i -> i % every == every / 2;
    }

    @Override void close();
}
