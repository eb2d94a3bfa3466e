package io.herald.history;

import io.herald.cluster.ClusterDirectory;
import io.herald.cluster.LocalDirectory;
import io.herald.cluster.NodeSnapshot;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.HeraldExecutors;
import io.herald.delivery.HubStats;
import io.herald.presence.PresenceAnnouncer;
import io.herald.publish.Publisher;
import io.herald.redis.RedisBroker;
import io.herald.redis.RedisConnections;
import io.herald.redis.RedisDirectory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Chooses the broker named by {@code herald.broker}: {@code memory} (one node) or {@code redis} (a cluster), and
 * with it the directory through which nodes see each other's clients.
 */
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
    @Inject
    @ConfigProperty(name = "herald.redis.uri", defaultValue = "redis://localhost:6379")
    String redisUri;
    @Inject
    @ConfigProperty(name = "herald.redis.key-prefix", defaultValue = "herald")
    String keyPrefix;
    @Inject
    @ConfigProperty(name = "herald.redis.timeout-ms", defaultValue = "2000")
    long timeoutMs;
    @Inject
    @ConfigProperty(name = "herald.redis.wait-replicas", defaultValue = "0")
    int waitReplicas;
    @Inject
    @ConfigProperty(name = "herald.redis.heartbeat-ms", defaultValue = "2000")
    long heartbeatMs;
    @Inject
    @ConfigProperty(name = "herald.redis.node-ttl-ms", defaultValue = "10000")
    long nodeTtlMs;
    @Inject
    @ConfigProperty(name = "herald.redis.retry-after-seconds", defaultValue = "2")
    long retryAfterSeconds;

    /** This node's name in the cluster: new at every start, so a restarted node never inherits a dead one's keys. */
    private final String nodeId = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private RedisConnections redis;
    @Inject
    HubStats stats;

    boolean isRedis() {
        if ("memory".equals(kind)) {
            return false;
        }
        if ("redis".equals(kind)) {
            return true;
        }
        throw new IllegalStateException("Unknown herald.broker '" + kind + "': use memory or redis");
    }

    /** One client for the broker and the directory. The hash tag keeps every key in one Redis Cluster slot. */
    private synchronized RedisConnections redis() {
        if (redis == null) {
            redis = new RedisConnections(redisUri, timeoutMs, retryAfterSeconds, stats::countBrokerError);
        }
        return redis;
    }

    private String keys() {
        return "{" + keyPrefix + "}";
    }

    @Produces
    @ApplicationScoped
    EventBroker broker(HeraldExecutors executors) {
        if (!isRedis()) {
            return new MemoryBroker(historySize, historyMaxAgeMs);
        }
        return new RedisBroker(redis(), keys(), nodeId, historySize, historyMaxAgeMs, waitReplicas,
                executors.threadFactory());
    }

    @Produces
    @ApplicationScoped
    ClusterDirectory directory(HeraldExecutors executors, ChannelRegistry registry, HubStats stats,
                               PresenceAnnouncer presence, Publisher publisher) {
        if (!isRedis()) {
            return new LocalDirectory();
        }
        return new RedisDirectory(redis(), keys(), nodeId, heartbeatMs, nodeTtlMs, executors.scheduler(),
                executors.worker(), () -> NodeSnapshot.of(nodeId, registry, stats), registry::connections,
                presence::isPresenceChannel, leave -> {
                    try {
                        publisher.publishInternal(leave);
                    } catch (RuntimeException e) {
                        // Redis went away again: the leave event is lost with it; presence lists are still right
                        java.util.logging.Logger.getLogger(BrokerProducer.class.getName()).warning(
                                "leave event on " + leave.channels() + " not published: " + e.getMessage());
                    }
                });
    }

    void stopDirectory(@Disposes ClusterDirectory directory) {
        directory.stop();
    }

    @PreDestroy
    synchronized void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
