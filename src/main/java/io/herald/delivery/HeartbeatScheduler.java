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

    private ScheduledFuture<?> task;

    public long intervalMs() {
        return intervalMs;
    }

    public synchronized void start() {
        if (task == null) {
            task = executors.scheduler().scheduleAtFixedRate(this::beat, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    void beat() {
        try {
            registry.broadcastFrame(frame(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat failed", e);
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
        if (task != null) {
            task.cancel(false);
        }
    }
}
