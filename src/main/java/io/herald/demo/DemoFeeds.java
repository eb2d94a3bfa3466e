package io.herald.demo;

import io.herald.delivery.HeraldExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the simulated stock and host-metric feeds with the application, in the demo profile only. */
@ApplicationScoped
public class DemoFeeds {

    private static final Logger LOG = Logger.getLogger(DemoFeeds.class.getName());

    @Inject
    DemoMode demo;
    @Inject
    HeraldExecutors executors;
    @Inject
    StockFeed stocks;
    @Inject
    HostMetricsFeed host;

    private final List<Future<?>> timers = new ArrayList<>();

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (!demo.enabled()) {
            return;
        }
        synchronized (timers) {
            timers.add(every(250, stocks::tick));
            timers.add(every(1500, host::tick));
        }
        LOG.info("Demo feeds started: stocks.<SYMBOL> and monitor");
    }

    /** The scheduler only times the feeds; a tick publishes on a worker, one tick of a feed at a time. */
    private Future<?> every(long periodMs, Runnable tick) {
        Object oneAtATime = new Object();
        Runnable guarded = () -> {
            synchronized (oneAtATime) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "demo feed tick failed", e);
                }
            }
        };
        return executors.scheduler().scheduleAtFixedRate(() -> executors.worker().execute(guarded),
                periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        synchronized (timers) {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
    }
}
