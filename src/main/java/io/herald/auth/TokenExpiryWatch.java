package io.herald.auth;

import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.Connection;
import io.herald.delivery.HeraldExecutors;
import io.herald.event.EventEncoder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.herald.api.Jsons;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes each stream when its token expires, with a last {@code event: unavailable} whose reason is
 * {@code token_expired}: the browser library then fetches a fresh token before it reconnects (a bare EventSource
 * would retry the stale URL, get 401 and stop). One sweep on Herald's scheduler, not a timer per stream.
 */
@ApplicationScoped
public class TokenExpiryWatch {

    private static final Logger LOG = Logger.getLogger(TokenExpiryWatch.class.getName());

    @Inject
    ChannelRegistry registry;
    @Inject
    HeraldExecutors executors;
    @Inject
    @ConfigProperty(name = "herald.auth.expiry-check-ms", defaultValue = "1000")
    long checkMs;

    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        synchronized (this) {
            if (task == null) {
                task = executors.scheduler().scheduleWithFixedDelay(this::sweep, checkMs, checkMs,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    void sweep() {
        try {
            long now = System.currentTimeMillis();
            for (Connection c : registry.expiringConnections()) {
                if (c.viewer().isExpired(now) && !c.isClosed()) {
                    c.closeGracefully(frame(), Connection.CloseReason.TOKEN_EXPIRED);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Token expiry sweep failed", e);
        }
    }

    static byte[] frame() {
        String data = Jsons.JSON.createObjectBuilder().add("reason", "token_expired").add("retryMs", 0).build().toString();
        return EventEncoder.event(null, "unavailable", null, data);
    }

    @PreDestroy
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
