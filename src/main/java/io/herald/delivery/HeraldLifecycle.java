package io.herald.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Starts the hub with the application, so the first request finds it ready and heartbeats run from the start. */
@ApplicationScoped
public class HeraldLifecycle {

    @Inject
    ChannelRegistry registry;
    @Inject
    HeartbeatScheduler heartbeats;
    @Inject
    io.herald.cluster.ClusterDirectory directory;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        registry.connectionCount();
        heartbeats.start();
        directory.start();
    }
}
