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

    BatchPolicy(List<ChannelPattern> patterns, long windowMs, ScheduledExecutorService scheduler) {
        this.patterns = List.copyOf(patterns);
        this.windowMs = windowMs;
        this.scheduler = scheduler;
    }

    boolean covers(String channel) {
        if (patterns.isEmpty() || channel == null) {
            return false;
        }
        for (ChannelPattern p : patterns) {
            if (p.matches(channel)) {
                return true;
            }
        }
        return false;
    }

    void schedule(Runnable flush) {
        scheduler.schedule(flush, windowMs, TimeUnit.MILLISECONDS);
    }
}
