package io.herald.drain;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The API requests that change something (publishing, sending to a client, disconnecting) running right now, so a
 * drain can wait until every one that was accepted has answered. Counted by {@link InFlightFilter}.
 */
@ApplicationScoped
public class InFlightPublishes {

    private int running;

    void started() {
        synchronized (this) {
            running++;
        }
    }

    synchronized void finished() {
        running--;
        notifyAll();
    }

    public synchronized int count() {
        return running;
    }

    /** Waits until no counted request is running; false if some still are after {@code timeoutMs}. */
    public synchronized boolean awaitIdle(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (running > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
