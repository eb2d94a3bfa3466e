package io.herald.delivery;

import io.herald.event.EventEncoder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each stream a heartbeat once per {@code herald.heartbeat.interval-ms}: {@code event: heartbeat} with a
 * timestamp, or a comment line with {@code herald.heartbeat.mode=comment}. Never with an {@code id:}. A failed write
 * drops the client.
 * <p>
 * The streams are not all beaten at once (thousands of writes in one burst make heartbeats late and hold up live
 * events): the interval is cut into {@link HeartbeatSlices} of at most a second, and each tick beats one slice of
 * the streams, with a frame encoded once for that tick and stamped with its time.
 * <p>
 * A write to a peer that has closed its socket still succeeds once (the peer answers it with a reset); only the
 * next write fails. So each heartbeat is followed shortly by an empty comment line to the same slice, a probe that
 * fails at once on a dead connection: a client that went away is gone within one heartbeat interval, not two. Streams
 * whose transport reads the socket and sees the reset itself (the embedded runtime's detached streams) get no probe.
 * Polls get no heartbeats.
 */
@ApplicationScoped
public class HeartbeatScheduler {

    private static final Logger LOG = Logger.getLogger(HeartbeatScheduler.class.getName());

    @Inject
    ChannelRegistry registry;
    @Inject
    HeraldExecutors executors;
    @Inject
    @ConfigProperty(name = "herald.heartbeat.interval-ms", defaultValue = "15000")
    long intervalMs;
    @Inject
    @ConfigProperty(name = "herald.heartbeat.mode", defaultValue = "event")
    String mode;

    static final long PROBE_DELAY_MS = 100;
    private static final byte[] PROBE = ":\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final AtomicLong ticks = new AtomicLong();
    private HeartbeatSlices slices;
    private ScheduledFuture<?> task;
    // A probe scheduled just before undeploy may still run on the server's scheduler after the beans are gone
    private volatile boolean stopped;

    public long intervalMs() {
        return intervalMs;
    }

    public synchronized void start() {
        if (task == null) {
            slices = HeartbeatSlices.of(intervalMs);
            long tick = slices.tickMicros();
            task = executors.scheduler().scheduleAtFixedRate(this::beat, tick, tick, TimeUnit.MICROSECONDS);
        }
    }

    /** One tick: a heartbeat to the next slice of the streams, and a probe to the same slice a little later. */
    void beat() {
        if (stopped) {
            return;
        }
        try {
            int slice = slices.sliceAt(ticks.getAndIncrement());
            registry.broadcastFrame(frame(System.currentTimeMillis()), slice, slices.count());
            executors.scheduler().schedule(() -> probe(slice), PROBE_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat failed", e);
        }
    }

    void probe(int slice) {
        if (stopped) {
            return;
        }
        try {
            registry.probe(PROBE, slice, slices.count());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat probe failed", e);
        }
    }

    byte[] frame(long now) {
        if ("comment".equals(mode)) {
            return EventEncoder.comment("heartbeat " + now);
        }
        return EventEncoder.event(null, "heartbeat", null, "{\"time\":" + now + "}");
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (task != null) {
            task.cancel(false);
        }
    }
}
