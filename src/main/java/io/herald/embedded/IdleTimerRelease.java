package io.herald.embedded;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Processor;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes detached streams off Grizzly's idle-timeout timer. That timer walks every connection in its queue each
 * second; a detached stream never times out there (its timeout is "forever"), yet stayed in the queue for its whole
 * life: with ten thousand idle streams, the walk cost about as much CPU as Herald's own heartbeat sweep.
 * <p>
 * A stream is released a second or more after it was detached, once Grizzly has finished the exchange: finishing it
 * re-arms the timer, so an earlier release would be undone. Released, the stream never goes back: its reads stop
 * at the {@link DetachedStreams} gate, below the idle filter, and Herald's writes do not pass through the filter
 * chain. A timeout of -1 is the timer's "not queued" mark; it drops such an entry on its next walk.
 */
final class IdleTimerRelease implements Runnable {

    private static final long UNQUEUED = -1;
    private static final long AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Detached(Connection<?> connection, long atNanos) {
    }

    private final Queue<Detached> pending = new ConcurrentLinkedQueue<>();

    void add(Connection<?> connection) {
        pending.add(new Detached(connection, System.nanoTime()));
    }

    /** Releases every stream detached at least a second ago. Runs on Herald's scheduler. */
    @Override
    public void run() {
        long now = System.nanoTime();
        for (Detached d = pending.peek(); d != null && now - d.atNanos >= AFTER_NANOS; d = pending.peek()) {
            pending.poll();
            if (d.connection.isOpen()) {
                release(d.connection);
            }
        }
    }

    private static void release(Connection<?> connection) {
        Processor<?> processor = connection.getProcessor();
        if (processor == null) {
            processor = connection.getTransport().getProcessor();
        }
        if (processor instanceof FilterChain chain) {
            int idle = chain.indexOfType(IdleTimeoutFilter.class);
            if (idle >= 0) {
                ((IdleTimeoutFilter) chain.get(idle)).getResolver().setTimeoutMillis(connection, UNQUEUED);
            }
        }
    }
}
