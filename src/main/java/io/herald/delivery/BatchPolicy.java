package io.herald.delivery;

import io.herald.channel.ChannelPattern;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which channels are delivered in batches ({@code herald.batch.channels}) and for how long a batch gathers
 * ({@code herald.batch.window-ms}). Shared by every connection; each connection gathers its own batch.
 */
public final class BatchPolicy {

    static final BatchPolicy NONE = new BatchPolicy(List.of(), 0, null);

    private final List<ChannelPattern> patterns;
    private final long windowMs;
    private final ScheduledExecutorService scheduler;
    private static final int MAX_CACHED = 10_000;
    private final java.util.Map<String, Boolean> covered = new java.util.concurrent.ConcurrentHashMap<>();

    BatchPolicy(List<ChannelPattern> patterns, long windowMs, ScheduledExecutorService scheduler) {
        this.patterns = List.copyOf(patterns);
        this.windowMs = windowMs;
        this.scheduler = scheduler;
    }

    /** Answers per channel from a cache: asked once per event and subscriber, matched once per channel. */
    boolean covers(String channel) {
        if (patterns.isEmpty() || channel == null) {
            return false;
        }
        Boolean known = covered.get(channel);
        if (known == null) {
            if (covered.size() >= MAX_CACHED) {
                covered.clear();
            }
            known = ChannelPattern.anyMatches(patterns, channel);
            covered.put(channel, known);
        }
        return known;
    }

    void schedule(Runnable flush) {
        scheduler.schedule(flush, windowMs, TimeUnit.MILLISECONDS);
    }
}
