package io.herald.delivery;

import io.herald.event.EventEncoder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a heartbeat to every stream on one schedule: {@code event: heartbeat} with a timestamp, or a comment line
 * with {@code herald.heartbeat.mode=comment}. Never with an {@code id:}. A failed write drops the client.
 * <p>
 * A write to a peer that has closed its socket still succeeds once (the peer answers it with a reset); only the
 * next write fails. So each heartbeat is followed shortly by an empty comment line, a probe that fails at once on
 * a dead connection: a client that went away is gone within one heartbeat interval, not two.
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

    private ScheduledFuture<?> task;
    // A probe scheduled just before undeploy may still run on the server's scheduler after the beans are gone
    private volatile boolean stopped;

    public long intervalMs() {
        return intervalMs;
    }

    public synchronized void start() {
        if (task == null) {
            task = executors.scheduler().scheduleAtFixedRate(this::beat, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    void beat() {
        if (stopped) {
            return;
        }
        try {
            registry.broadcastFrame(frame(System.currentTimeMillis()));
            executors.scheduler().schedule(this::probe, PROBE_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat failed", e);
        }
    }

    void probe() {
        if (stopped) {
            return;
        }
        try {
            registry.broadcastFrame(PROBE);
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
