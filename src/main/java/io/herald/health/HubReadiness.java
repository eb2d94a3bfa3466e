package io.herald.health;

import io.herald.delivery.ChannelRegistry;
import io.herald.drain.Drain;
import io.herald.history.EventBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ready while the node can serve streams with replay: down while it drains, and down while the broker (Redis)
 * cannot be read, so the balancer sends clients to nodes that can resume them.
 */
@Readiness
@ApplicationScoped
public class HubReadiness implements HealthCheck {

    @Inject
    EventBroker broker;
    @Inject
    Drain drain;
    @Inject
    ChannelRegistry registry;

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connections", (long) registry.connectionCount());
        boolean up = true;
        if (drain.isDraining()) {
            data.put("draining", true);
            up = false;
        }
        try {
            data.put("head", broker.head().text());
            data.put("broker", "reachable");
        } catch (RuntimeException e) {
            data.put("broker", "unreachable");
            data.put("error", String.valueOf(e.getMessage()));
            up = false;
        }
        return new HealthCheckResponse("herald-ready", up ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }
}
