package io.herald.health;

import io.herald.delivery.HubStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.Map;
import java.util.Optional;

/**
 * Live while the process can answer at all. A broker outage or a drain never fails liveness: restarting the node
 * would not help, and would drop every stream it holds.
 */
@Liveness
@ApplicationScoped
public class HubLiveness implements HealthCheck {

    @Inject
    HubStats stats;

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = Map.of("uptimeMs", System.currentTimeMillis() - stats.startedAtMillis());
        return new HealthCheckResponse("herald-live", HealthCheckResponse.Status.UP, Optional.of(data));
    }
}
