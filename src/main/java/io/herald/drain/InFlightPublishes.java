package io.herald.drain;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * The API requests that change something (publishing, sending to a client, disconnecting) running right now, so a
 * drain can wait until every one that was accepted has answered. Counted by {@link InFlightFilter}.
 * <p>
 * It waits on a private lock, never on {@code this}: callers hold the CDI client proxy, and a proxy of a
 * {@code synchronized} method locks the proxy, which a {@code wait()} on the bean would never release.
 */
@ApplicationScoped
public class InFlightPublishes {

    private final Object lock = new Object();
    private int running;

    void started() {
        synchronized (lock) {
            running++;
        }
    }

    void finished() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }

    public int count() {
        synchronized (lock) {
            return running;
        }
    }

    /** Waits until no counted request is running; false if some still are after {@code timeoutMs}. */
    public boolean awaitIdle(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs); // monotonic, unlike the wall clock
        synchronized (lock) {
            while (running > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
