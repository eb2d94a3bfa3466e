package io.herald.drain;

import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.Connection;
import io.herald.event.EventEncoder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Takes the node out of service without losing a client or a publish. A browser {@code EventSource} gives up for
 * good on a 503, so the steps are: readiness goes down (the balancer stops sending new clients); stream requests
 * that still arrive get {@code 200}, a low {@code retry:} and {@code event: unavailable}; after
 * {@code herald.drain.delay-ms} open streams get the low {@code retry:} and are closed, so their clients reconnect
 * to another node at once; then publishing requests already accepted are completed before the process ends.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    @Inject
    ChannelRegistry registry;
    @Inject
    InFlightPublishes inFlight;
    @Inject
    @ConfigProperty(name = "herald.drain.delay-ms", defaultValue = "5000")
    long delayMs;
    @Inject
    @ConfigProperty(name = "herald.drain.retry-ms", defaultValue = "500")
    long retryMs;
    @Inject
    @ConfigProperty(name = "herald.drain.timeout-ms", defaultValue = "30000")
    long timeoutMs;

    private final Object lock = new Object();
    private volatile boolean draining;
    private boolean done;

    public boolean isDraining() {
        return draining;
    }

    /** The {@code retry:} given to streams refused or closed while draining. */
    public long retryMs() {
        return retryMs;
    }

    /** Runs the drain once; later calls return when the first has finished. */
    public void run() {
        synchronized (lock) { // a private lock: callers hold the CDI proxy (see InFlightPublishes)
            drainOnce();
        }
    }

    private void drainOnce() {
        if (done) {
            return;
        }
        long start = System.currentTimeMillis();
        draining = true;
        LOG.info(() -> "Draining: readiness is down; " + registry.connectionCount() + " open streams close in "
                + delayMs + " ms");
        sleep(delayMs);
        byte[] lowRetry = EventEncoder.retry(retryMs);
        for (Connection c : registry.connections()) {
            c.closeGracefully(lowRetry, Connection.CloseReason.SHUTDOWN);
        }
        // the monotonic clock: a wall clock stepped forward (a VM syncing its time) must not cut the wait short
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (registry.connectionCount() > 0 && System.nanoTime() - deadline < 0) {
            sleep(10);
        }
        boolean idle = inFlight.awaitIdle(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        done = true;
        LOG.info(() -> "Drained in " + (System.currentTimeMillis() - start) + " ms; streams left: "
                + registry.connectionCount() + (idle ? "" : "; publishing requests still running: " + inFlight.count()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
