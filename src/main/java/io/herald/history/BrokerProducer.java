package io.herald.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the broker named by {@code herald.broker}. */
@ApplicationScoped
public class BrokerProducer {

    @Inject
    @ConfigProperty(name = "herald.broker", defaultValue = "memory")
    String kind;
    @Inject
    @ConfigProperty(name = "herald.history.size", defaultValue = "10000")
    int historySize;
    @Inject
    @ConfigProperty(name = "herald.history.max-age-ms", defaultValue = "0")
    long historyMaxAgeMs;

    @Produces
    @ApplicationScoped
    EventBroker broker() {
        if (!"memory".equals(kind)) {
            throw new IllegalStateException("Unknown herald.broker '" + kind + "': use memory");
        }
        return new MemoryBroker(historySize, historyMaxAgeMs);
    }
}
