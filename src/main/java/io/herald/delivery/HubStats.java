package io.herald.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Counters for {@code /api/stats}. */
@ApplicationScoped
public class HubStats {

    private final long startedAtMillis = System.currentTimeMillis();
    private final LongAdder published = new LongAdder();
    private final DeliveryCounters perDelivery = new DeliveryCounters();
    private final LongAdder slowDropped = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder brokerErrors = new LongAdder();
    private final Map<Connection.CloseReason, LongAdder> closed = new ConcurrentHashMap<>();

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long published() {
        return published.sum();
    }

    public long delivered() {
        return perDelivery.delivered();
    }

    public long slowClientsDropped() {
        return slowDropped.sum();
    }

    public long resets() {
        return resets.sum();
    }

    public long replays() {
        return replays.sum();
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long brokerErrors() {
        return brokerErrors.sum();
    }

    /** Streams ended for this reason since start. */
    public long closed(Connection.CloseReason reason) {
        LongAdder n = closed.get(reason);
        return n == null ? 0 : n.sum();
    }

    /** Where delivery latencies go (publish to the frame's write), in nanoseconds; the metrics bean sets it. */
    public void recordLatencyWith(LongConsumer recorder) {
        perDelivery.recordLatencyWith(recorder);
    }

    /**
     * The per-delivery counters, for the registry to hold without going through this bean's client proxy. Public so
     * that the proxy hands the call straight to the bean (this returns the bean's own object, never the proxy's).
     */
    public DeliveryCounters perDelivery() {
        return perDelivery;
    }

    /** A failed broker call (Redis unreachable, timed out or refusing). */
    public void countBrokerError() {
        brokerErrors.increment();
    }

    void countClosed(Connection.CloseReason reason) {
        closed.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void countReset() {
        resets.increment();
    }

    void countPublished() {
        published.increment();
    }

    void countSlowDropped() {
        slowDropped.increment();
    }

    void countReplay() {
        replays.increment();
    }

    void countOpened() {
        connectionsOpened.increment();
    }
}
