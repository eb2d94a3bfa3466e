package io.herald.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.LongAdder;

/** Counters for {@code /api/stats}. */
@ApplicationScoped
public class HubStats {

    private final long startedAtMillis = System.currentTimeMillis();
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder slowDropped = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long published() {
        return published.sum();
    }

    public long delivered() {
        return delivered.sum();
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

    public void countReset() {
        resets.increment();
    }

    void countPublished() {
        published.increment();
    }

    void countDelivered() {
        delivered.increment();
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
