package io.herald.metrics;

import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.Connection;
import io.herald.delivery.HeraldExecutors;
import io.herald.delivery.HubStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Herald's meters in a Micrometer Prometheus registry, scraped at {@code /metrics}: connections and channels,
 * events published and delivered (totals and per second), delivery latency, slow-client drops, replays and
 * resets, streams closed by reason, auth failures by reason, broker errors, and the JVM's own meters.
 */
@ApplicationScoped
public class HeraldMetrics {

    static final long RATE_WINDOW_MS = 5000;
    /** Readable bucket bounds, from a fast local write to a client's queue wait under load. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    @Inject
    ChannelRegistry registry;
    @Inject
    HubStats stats;
    @Inject
    HeraldExecutors executors;

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
    private final EventRate publishedRate = new EventRate();
    private final EventRate deliveredRate = new EventRate();
    private JvmGcMetrics gc;
    private ScheduledFuture<?> sampler;

    /** Created with the application, so latencies are recorded from the first event on. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        prometheus.config();
    }

    @PostConstruct
    void bind() {
        Gauge.builder("herald.connections", registry, ChannelRegistry::connectionCount)
                .description("Open event streams on this node").register(prometheus);
        Gauge.builder("herald.channels", registry, r -> r.channelNames().size())
                .description("Channels this node knows (published to or subscribed by name)").register(prometheus);
        FunctionCounter.builder("herald.events.published", stats, HubStats::published)
                .description("Events dispatched on this node (each event once)").register(prometheus);
        FunctionCounter.builder("herald.events.delivered", stats, HubStats::delivered)
                .description("Events queued to streams (one per event and stream)").register(prometheus);
        Gauge.builder("herald.events.published.per.second", publishedRate, EventRate::perSecond)
                .description("Events published per second over the last 5 s").register(prometheus);
        Gauge.builder("herald.events.delivered.per.second", deliveredRate, EventRate::perSecond)
                .description("Events delivered per second over the last 5 s").register(prometheus);
        FunctionCounter.builder("herald.clients.slow.dropped", stats, HubStats::slowClientsDropped)
                .description("Streams dropped because their queue overflowed").register(prometheus);
        FunctionCounter.builder("herald.replays", stats, HubStats::replays)
                .description("Stream opens that resumed from a Last-Event-ID").register(prometheus);
        FunctionCounter.builder("herald.resets", stats, HubStats::resets)
                .description("Resumes answered with event: reset (id unknown or too old)").register(prometheus);
        FunctionCounter.builder("herald.streams.opened", stats, HubStats::connectionsOpened)
                .description("Streams opened since start").register(prometheus);
        for (Connection.CloseReason reason : Connection.CloseReason.values()) {
            FunctionCounter.builder("herald.streams.closed", stats, s -> s.closed(reason))
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Streams ended, by reason").register(prometheus);
        }
        FunctionCounter.builder("herald.broker.errors", stats, HubStats::brokerErrors)
                .description("Broker calls that failed (Redis unreachable, timed out or refusing)")
                .register(prometheus);
        Timer latency = Timer.builder("herald.delivery.latency")
                .description("From publish to the event's write to the client's socket")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(prometheus);
        stats.recordLatencyWith(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
        authFailure("none").increment(0); // the family shows up before the first failure

        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        gc = new JvmGcMetrics();
        gc.bindTo(prometheus);
        sampler = executors.scheduler().scheduleAtFixedRate(() -> {
            publishedRate.sample(stats.published());
            deliveredRate.sample(stats.delivered());
        }, RATE_WINDOW_MS, RATE_WINDOW_MS, TimeUnit.MILLISECONDS);
    }

    /** Counts a refused credential: {@code reason} is the error code (invalid_token, missing_token, ...). */
    public void countAuthFailure(String reason) {
        authFailure(reason).increment();
    }

    private Counter authFailure(String reason) {
        return authFailures.computeIfAbsent(reason, r -> Counter.builder("herald.auth.failures").tag("reason", r)
                .description("API requests refused with 401 or 403, by reason")
                .register(prometheus));
    }

    /** The Prometheus text exposition for an {@code Accept} header (OpenMetrics when asked for). */
    public String scrape(String accept) {
        return prometheus.scrape(contentType(accept));
    }

    public String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    @PreDestroy
    void close() {
        if (sampler != null) {
            sampler.cancel(false);
        }
        if (gc != null) {
            gc.close();
        }
        prometheus.close();
    }

    /** A counter's increase per second between the last two samples. */
    static final class EventRate {
        private long lastCount = -1;
        private long lastNanos;
        private volatile double perSecond;

        synchronized void sample(long count) {
            long now = System.nanoTime();
            if (lastCount >= 0 && now > lastNanos) {
                perSecond = (count - lastCount) * 1e9 / (now - lastNanos);
            }
            lastCount = count;
            lastNanos = now;
        }

        double perSecond() {
            return perSecond;
        }
    }
}
