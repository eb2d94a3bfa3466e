package io.herald.redis;

import io.herald.api.Jsons;
import io.herald.channel.ChannelPattern;
import io.herald.cluster.ClusterDirectory;
import io.herald.cluster.NodeSnapshot;
import io.herald.delivery.Connection;
import io.herald.event.EventDraft;
import io.herald.history.BrokerUnavailableException;
import io.herald.presence.PresenceAnnouncer;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's clients, presence and counters in Redis. Each node heartbeats into a sorted set of nodes scored by
 * the time it expires, so a node that stops heartbeating (crashed, partitioned) drops out of every view within one
 * TTL. A live node then removes the dead node's presence and publishes the {@code leave} events it could not.
 * <p>Keys: {@code nodes} (zset node → expiry), {@code node:<id>} (its counters), {@code node:<id>:clients} (set),
 * {@code node:<id>:channels} (channels it has presence on), {@code presence:<channel>} (hash
 * {@code "<node> <client>"} → presence record).
 */
public final class RedisDirectory implements ClusterDirectory {

    private static final Logger LOG = Logger.getLogger(RedisDirectory.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();

    private final RedisConnections redis;
    private final String prefix;
    private final String nodeId;
    private final long heartbeatMs;
    private final long ttlMs;
    private final ScheduledExecutorService scheduler;
    private final Executor worker;
    private final Supplier<JsonObject> snapshot;
    private final Supplier<Collection<Connection>> localConnections;
    private final Predicate<String> announcesPresence;
    private final Consumer<EventDraft> publishLeave;
    private final AtomicBoolean beating = new AtomicBoolean();
    /** Set when a write may have been lost (Redis away): the next heartbeat rewrites this node's records. */
    private volatile boolean dirty = true;
    private long healthySinceMillis = -1;
    private ScheduledFuture<?> task;

    public RedisDirectory(RedisConnections redis, String prefix, String nodeId, long heartbeatMs, long ttlMs,
                          ScheduledExecutorService scheduler, Executor worker,
                          Supplier<JsonObject> snapshot, Supplier<Collection<Connection>> localConnections,
                          Predicate<String> announcesPresence, Consumer<EventDraft> publishLeave) {
        this.redis = redis;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.heartbeatMs = heartbeatMs;
        this.ttlMs = ttlMs;
        this.scheduler = scheduler;
        this.worker = worker;
        this.snapshot = snapshot;
        this.localConnections = localConnections;
        this.announcesPresence = announcesPresence;
        this.publishLeave = publishLeave;
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public synchronized void start() {
        if (task == null) {
            // Redis calls block for up to the timeout: run them off the shared scheduler, never two at once.
            task = scheduler.scheduleWithFixedDelay(() -> {
                if (beating.compareAndSet(false, true)) {
                    worker.execute(() -> {
                        try {
                            heartbeat();
                        } finally {
                            beating.set(false);
                        }
                    });
                }
            }, 0, heartbeatMs, TimeUnit.MILLISECONDS);
        }
    }

    private String nodesKey() {
        return prefix + ":nodes";
    }

    private String nodeKey(String node) {
        return prefix + ":node:" + node;
    }

    private String presenceKey(String channel) {
        return prefix + ":presence:" + channel;
    }

    void heartbeat() {
        long now = System.currentTimeMillis();
        try {
            RedisAsyncCommands<String, String> cmd = redis.commands().async();
            Long added = sync(cmd.zadd(nodesKey(), (double) (now + ttlMs), nodeId));
            cmd.set(nodeKey(nodeId), snapshot.get().toString(), SetArgs.Builder.px(ttlMs));
            if (added != null && added == 1 || dirty) {
                dirty = false;
                for (Connection c : localConnections.get()) {
                    if (!c.isClosed()) {
                        write(cmd, c);
                    }
                }
            }
            sync(cmd.pexpire(nodeKey(nodeId) + ":clients", ttlMs));
            if (healthySinceMillis < 0) {
                healthySinceMillis = now;
            }
            // Only a node that has itself been in touch for a whole TTL judges others dead: right after an outage
            // every score is stale, and the others need one heartbeat to refresh theirs.
            if (now - healthySinceMillis >= ttlMs) {
                reapDeadNodes(cmd, now);
            }
        } catch (RuntimeException e) {
            dirty = true;
            healthySinceMillis = -1;
            LOG.log(Level.FINE, "Cluster heartbeat failed", e);
        }
    }

    private void reapDeadNodes(RedisAsyncCommands<String, String> cmd, long now) {
        List<String> dead = sync(cmd.zrangebyscore(nodesKey(), Range.create(Double.NEGATIVE_INFINITY, (double) now)));
        for (String node : dead) {
            if (node.equals(nodeId) || sync(cmd.zrem(nodesKey(), node)) != 1) {
                continue; // another node won the race to reap it
            }
            LOG.info("Cluster node " + node + " stopped heartbeating; removing its clients");
            Set<String> channels = sync(cmd.smembers(nodeKey(node) + ":channels"));
            for (String channel : channels) {
                Map<String, String> members = sync(cmd.hgetall(presenceKey(channel)));
                for (Map.Entry<String, String> m : members.entrySet()) {
                    if (m.getKey().startsWith(node + " ")) {
                        cmd.hdel(presenceKey(channel), m.getKey());
                        if (announcesPresence.test(channel)) {
                            publishLeave.accept(EventDraft.of(channel, "leave", parse(m.getValue())));
                        }
                    }
                }
            }
            cmd.del(nodeKey(node), nodeKey(node) + ":clients", nodeKey(node) + ":channels");
        }
    }

    @Override
    public void joined(Connection c) {
        try {
            write(redis.commands().async(), c);
        } catch (RuntimeException e) {
            dirty = true;
        }
        if (c.isClosed()) {
            left(c);
        }
    }

    /** Records a connection and its presence; asynchronous, and a failure marks the node for a rewrite. */
    private void write(RedisAsyncCommands<String, String> cmd, Connection c) {
        watch(cmd.sadd(nodeKey(nodeId) + ":clients", c.clientId()));
        for (ChannelPattern p : c.patterns()) {
            if (p.isLiteral()) {
                watch(cmd.sadd(nodeKey(nodeId) + ":channels", p.text()));
                watch(cmd.hset(presenceKey(p.text()), nodeId + " " + c.clientId(),
                        PresenceAnnouncer.describe(c, p.text()).toString()));
            }
        }
    }

    @Override
    public void left(Connection c) {
        try {
            RedisAsyncCommands<String, String> cmd = redis.commands().async();
            watch(cmd.srem(nodeKey(nodeId) + ":clients", c.clientId()));
            for (ChannelPattern p : c.patterns()) {
                if (p.isLiteral()) {
                    watch(cmd.hdel(presenceKey(p.text()), nodeId + " " + c.clientId()));
                }
            }
        } catch (RuntimeException e) {
            dirty = true;
        }
    }

    private void watch(CompletionStage<?> write) {
        write.whenComplete((r, f) -> {
            if (f != null) {
                dirty = true;
            }
        });
    }

    private Set<String> liveOthers(RedisAsyncCommands<String, String> cmd) {
        Set<String> live = new HashSet<>(sync(cmd.zrangebyscore(nodesKey(),
                Range.create((double) System.currentTimeMillis(), Double.POSITIVE_INFINITY))));
        live.remove(nodeId);
        return live;
    }

    @Override
    public boolean isConnectedElsewhere(String clientId) {
        RedisAsyncCommands<String, String> cmd = redis.commands().async();
        List<CompletionStage<Boolean>> checks = new ArrayList<>();
        for (String node : liveOthers(cmd)) {
            checks.add(cmd.sismember(nodeKey(node) + ":clients", clientId));
        }
        for (CompletionStage<Boolean> check : checks) {
            if (Boolean.TRUE.equals(sync(check))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<JsonObject> membersElsewhere(String channel) {
        RedisAsyncCommands<String, String> cmd = redis.commands().async();
        Set<String> live = liveOthers(cmd);
        List<JsonObject> out = new ArrayList<>();
        for (Map.Entry<String, String> m : sync(cmd.hgetall(presenceKey(channel))).entrySet()) {
            int space = m.getKey().indexOf(' ');
            if (space > 0 && live.contains(m.getKey().substring(0, space))) {
                out.add(parse(m.getValue()));
            }
        }
        return out;
    }

    @Override
    public JsonObject cluster(JsonObject local) {
        List<JsonObject> nodes = new ArrayList<>();
        nodes.add(local);
        try {
            RedisAsyncCommands<String, String> cmd = redis.commands().async();
            List<String> keys = liveOthers(cmd).stream().map(this::nodeKey).toList();
            if (!keys.isEmpty()) {
                for (var value : sync(cmd.mget(keys.toArray(String[]::new)))) {
                    if (value.hasValue()) {
                        nodes.add(parse(value.getValue()));
                    }
                }
            }
        } catch (BrokerUnavailableException e) {
            return Jsons.JSON.createObjectBuilder(NodeSnapshot.sum(nodes)).add("complete", false).build();
        }
        return NodeSnapshot.sum(nodes);
    }

    private static JsonObject parse(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private <T> T sync(CompletionStage<T> future) {
        return redis.await(future);
    }

    /** Stops heartbeating and marks this node expired, so the others remove its clients at their next heartbeat. */
    @Override
    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        try {
            sync(redis.commands().async().zadd(nodesKey(), 0.0, nodeId));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not mark this node gone; it expires within " + ttlMs + " ms", e);
        }
    }
}
