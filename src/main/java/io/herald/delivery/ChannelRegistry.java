package io.herald.delivery;

import io.herald.api.Jsons;
import io.herald.channel.ChannelPattern;
import io.herald.channel.SegmentTrie;
import io.herald.event.EventEncoder;
import io.herald.event.EventId;
import io.herald.event.HubEvent;
import io.herald.history.BrokerUnavailableException;
import io.herald.history.EventBroker;
import io.herald.history.Replay;
import io.herald.presence.PresenceAnnouncer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Owns every subscription on this node and fans each event out to the matching ones, in log order.
 * Streams and polls register here; the broker feeds {@link #dispatch(HubEvent)}.
 */
@ApplicationScoped
public class ChannelRegistry implements Connection.ConnectionEvents {

    private static final Logger LOG = Logger.getLogger(ChannelRegistry.class.getName());
    private static final int MAX_KNOWN_CHANNELS = 10_000;

    @Inject
    EventBroker broker;
    @Inject
    HubStats stats;
    @Inject
    HeraldExecutors executors;
    @Inject
    PresenceAnnouncer presence;

    @Inject
    @ConfigProperty(name = "herald.max-connections", defaultValue = "18000")
    int maxConnections;
    @Inject
    @ConfigProperty(name = "herald.retry-ms", defaultValue = "3000")
    long retryMs;
    @Inject
    @ConfigProperty(name = "herald.client.queue-size", defaultValue = "1024")
    int queueSize;
    @Inject
    @ConfigProperty(name = "herald.delivery.writers", defaultValue = "0")
    int writerCount;
    @Inject
    @ConfigProperty(name = "herald.batch.channels")
    Optional<String> batchChannels;
    @Inject
    @ConfigProperty(name = "herald.batch.window-ms", defaultValue = "100")
    long batchWindowMs;

    private final SegmentTrie<Subscriber> trie = new SegmentTrie<>();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, EventId> knownChannels = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** The open streams whose token expires, for the expiry sweep (anonymous streams never expire). */
    private final Set<Connection> expiring = ConcurrentHashMap.newKeySet();
    /** Registered streams whose transport needs the heartbeat probe; with none, a probe tick scans nothing. */
    private final AtomicInteger probed = new AtomicInteger();
    private final AtomicInteger shardCounter = new AtomicInteger();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private OutboundWriters writers;
    private BatchPolicy batching = BatchPolicy.NONE;
    private long round;
    private int roundCount;
    private volatile boolean shuttingDown;
    /** Reached once per delivery: held directly, not through {@link #stats}' client proxy ({@link DeliveryCounters}). */
    private DeliveryCounters perDelivery;

    @PostConstruct
    void start() {
        perDelivery = stats.perDelivery();
        int count = writerCount > 0 ? writerCount : Runtime.getRuntime().availableProcessors();
        writers = new OutboundWriters(count, executors.threadFactory());
        batching = batchPolicy();
        broker.start(this::dispatch);
    }

    private BatchPolicy batchPolicy() {
        java.util.List<ChannelPattern> patterns = ChannelPattern.parseList(batchChannels.orElse(null));
        return patterns.isEmpty() ? BatchPolicy.NONE
                : new BatchPolicy(patterns, Math.max(1, batchWindowMs), executors.scheduler());
    }

    public long retryMs() {
        return retryMs;
    }

    public String newClientId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new connection object for a stream request; it is not registered until {@link #open}. */
    public Connection newConnection(String clientId, java.util.List<ChannelPattern> patterns, Set<String> eventTypes,
                                    boolean envelope, Viewer viewer, ClientDetails details) {
        return new Connection(clientId, patterns, eventTypes, envelope, viewer, queueSize, details,
                shardCounter.getAndIncrement() & Integer.MAX_VALUE, batching);
    }

    /** Takes a slot under {@code herald.max-connections}; false when the node is full. */
    public boolean tryReserve() {
        while (true) {
            int n = open.get();
            if (n >= maxConnections || shuttingDown) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        open.decrementAndGet();
    }

    /**
     * Registers a reserved connection: sends {@code retry:} and {@code connected}, replays what the client missed
     * after {@code lastEventId} (or a reset), then goes live with nothing missed and nothing doubled.
     * {@code activate} switches the transport to non-blocking mode once the connection can take callbacks.
     */
    public void open(Connection c, Outbound out, String lastEventId, long heartbeatIntervalMs, Runnable activate) {
        c.attach(out, this);
        c.beginOpening();
        try {
            register(c, lastEventId, heartbeatIntervalMs, activate);
        } finally {
            c.endOpening(out.writesOnOpener());
        }
    }

    private void register(Connection c, String lastEventId, long heartbeatIntervalMs, Runnable activate) {
        activate.run();
        c.probed = c.needsProbe();
        if (c.probed) {
            probed.incrementAndGet();
        }
        connections.put(c.clientId(), c);
        if (c.viewer().expires()) {
            expiring.add(c);
        }
        for (ChannelPattern p : c.patterns()) {
            trie.add(p, c);
        }
        stats.countOpened();
        StreamLog.opened(c, lastEventId);
        c.send(EventEncoder.retry(retryMs));
        c.send(connectedFrame(c, heartbeatIntervalMs));
        EventId floor = null;
        if (lastEventId != null) {
            stats.countReplay();
            Replay replay;
            try {
                replay = broker.readAfter(lastEventId, c.replayKeys());
            } catch (BrokerUnavailableException e) {
                // The log cannot be read (Redis down): a resume would lose events, so the client comes back later
                // with the same Last-Event-ID, as with any temporary refusal.
                c.closeGracefully(unavailableFrame("broker", e.retryAfterSeconds() * 1000), Connection.CloseReason.SHUTDOWN);
                return;
            }
            if (replay.isReset()) {
                stats.countReset();
                c.send(resetFrame(replay.reset()));
            }
            // after a reset too: the broker may know what the client missed since its resume position
            for (HubEvent e : replay.events()) {
                String channel = c.matchingChannel(e);
                if (channel != null && c.accepts(e, channel)) {
                    c.sendEvent(e, channel);
                }
            }
            floor = replay.upTo();
        }
        c.goLive(floor);
        if (!c.isClosed()) {
            presence.joined(c);
        }
    }

    /**
     * The {@code connected} event, written by hand: it goes out once per stream, and a JSON-P object tree for it was
     * a visible share of a reconnect storm. Nothing in it needs escaping: client ids are base64url, and channel
     * names and patterns are {@code [A-Za-z0-9_:-]} segments, dots and stars ({@link ChannelPattern#parse}).
     */
    private byte[] connectedFrame(Connection c, long heartbeatIntervalMs) {
        StringBuilder data = new StringBuilder(96).append("{\"clientId\":\"").append(c.clientId())
                .append("\",\"channels\":[");
        for (int i = 0; i < c.patterns().size(); i++) {
            data.append(i == 0 ? "\"" : ",\"").append(c.patterns().get(i).text()).append('"');
        }
        data.append("],\"retryMs\":").append(retryMs).append(",\"heartbeatIntervalMs\":").append(heartbeatIntervalMs)
                .append('}');
        return EventEncoder.event(null, "connected", null, data.toString());
    }

    private static byte[] unavailableFrame(String reason, long retryMs) {
        String data = Jsons.JSON.createObjectBuilder().add("reason", reason).add("retryMs", retryMs).build().toString();
        byte[] retry = EventEncoder.retry(retryMs);
        byte[] event = EventEncoder.event(null, "unavailable", null, data);
        byte[] frame = java.util.Arrays.copyOf(retry, retry.length + event.length);
        System.arraycopy(event, 0, frame, retry.length, event.length);
        return frame;
    }

    static byte[] resetFrame(Replay.Reset reset) {
        String data = Jsons.JSON.createObjectBuilder()
                .add("reason", reset.reason())
                .add("resumeFrom", reset.resumeFrom().text())
                .build().toString();
        return EventEncoder.event(reset.resumeFrom().text(), "reset", null, data);
    }

    /** Registers a waiting poll (no replay: the poll reads history itself after registering). */
    public void watch(Subscriber s) {
        for (ChannelPattern p : s.patterns()) {
            trie.add(p, s);
        }
    }

    public void unwatch(Subscriber s) {
        for (ChannelPattern p : s.patterns()) {
            trie.remove(p, s);
        }
    }

    /**
     * Fans one event out to this node's subscribers. The broker calls it for each event in log order, never
     * concurrently. Returns how many subscribers took the event.
     */
    int dispatch(HubEvent event) {
        stats.countPublished();
        if (event.targetClient() != null) {
            Connection c = connections.get(event.targetClient());
            if (c == null || c.isClosed()) {
                return 0;
            }
            c.sendEvent(event, null);
            return 1;
        }
        long r = ++round;
        roundCount = 0;
        try {
            fanOut(event, r);
        } finally {
            // connections reached by this event were queued quietly: wake each writer once
            writers.wakeAll();
        }
        return roundCount;
    }

    private void fanOut(HubEvent event, long r) {
        for (String channel : event.channels()) {
            trie.match(channel, s -> {
                if (s.mark != r) {
                    s.mark = r;
                    if (s.accepts(event, channel)) {
                        s.deliver(event, channel);
                        roundCount++;
                    }
                }
            });
            rememberChannel(channel, event.id());
        }
    }

    private void rememberChannel(String channel, EventId id) {
        if (knownChannels.put(channel, id) == null && knownChannels.size() > MAX_KNOWN_CHANNELS) {
            var it = knownChannels.keySet().iterator();
            if (it.hasNext()) {
                it.remove();
            }
        }
    }

    /** Sends a frame (not an event: no id, no filter) to every open stream. */
    public void broadcastFrame(byte[] frame) {
        broadcastFrame(frame, 0, 1);
    }

    /**
     * Sends a frame to the open streams of one heartbeat slice: those whose shard is {@code slice} mod
     * {@code slices}. Queues quietly, then wakes each writer once.
     */
    public void broadcastFrame(byte[] frame, int slice, int slices) {
        sendToSlice(frame, slice, slices, false);
    }

    /** The heartbeat probe for one slice, to the streams whose transport cannot see a vanished client by itself. */
    public void probe(byte[] frame, int slice, int slices) {
        sendToSlice(frame, slice, slices, true);
    }

    private void sendToSlice(byte[] frame, int slice, int slices, boolean probe) {
        if (probe && probed.get() == 0) {
            return;
        }
        for (Connection c : connections.values()) {
            if (HeartbeatSlices.contains(c.shard, slice, slices) && (!probe || c.probed)) {
                c.send(frame, false);
            }
        }
        writers.wakeAll();
    }

    @Override
    public void schedule(Connection connection, boolean wake) {
        if (wake) {
            writers.schedule(connection);
        } else {
            writers.scheduleQuietly(connection);
        }
    }

    @Override
    public void delivered(Connection connection, HubEvent event) {
        perDelivery.countDelivered();
    }

    @Override
    public void written(Connection connection, long nanos) {
        perDelivery.recordLatency(nanos);
    }

    @Override
    public void closed(Connection c, Connection.CloseReason reason) {
        if (connections.remove(c.clientId(), c)) {
            if (c.probed) {
                probed.decrementAndGet();
            }
            expiring.remove(c);
            for (ChannelPattern p : c.patterns()) {
                trie.remove(p, c);
            }
            open.decrementAndGet();
            if (reason == Connection.CloseReason.SLOW_CLIENT) {
                stats.countSlowDropped();
            }
            stats.countClosed(reason);
            StreamLog.closed(c, reason);
            if (shuttingDown) {
                c.release();
            } else {
                executors.worker().execute(() -> {
                    c.release();
                    presence.left(c);
                });
            }
        } else {
            c.release();
        }
    }

    public Optional<Connection> connection(String clientId) {
        return Optional.ofNullable(connections.get(clientId));
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    /** The open streams whose token has an expiry: what the token expiry sweep has to look at. */
    public Collection<Connection> expiringConnections() {
        return expiring;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Streams subscribed to exactly this channel name (no wildcard). */
    public Set<Connection> exactSubscribers(String channel) {
        Set<Connection> out = new HashSet<>();
        for (Subscriber s : trie.exact(channel)) {
            if (s instanceof Connection c && !c.isClosed()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every stream whose channels or patterns match this channel. */
    public Set<Connection> subscribersOf(String channel) {
        Set<Connection> out = new HashSet<>();
        trie.match(channel, s -> {
            if (s instanceof Connection c && !c.isClosed()) {
                out.add(c);
            }
        });
        return out;
    }

    /** Channel names this node has seen published or subscribed by name. */
    public Set<String> channelNames() {
        Set<String> names = new HashSet<>(knownChannels.keySet());
        for (Connection c : connections.values()) {
            for (ChannelPattern p : c.patterns()) {
                if (p.isLiteral()) {
                    names.add(p.text());
                }
            }
        }
        return names;
    }

    public Optional<EventId> lastEventOn(String channel) {
        return Optional.ofNullable(knownChannels.get(channel));
    }

    /** Closes every stream with a short {@code retry:} so clients reconnect elsewhere at once. */
    @PreDestroy
    void shutdown() {
        shuttingDown = true;
        byte[] last = EventEncoder.retry(Math.min(retryMs, 1000));
        for (Connection c : connections.values()) {
            c.closeGracefully(last, Connection.CloseReason.SHUTDOWN);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection c : connections.values()) {
            c.close(Connection.CloseReason.SHUTDOWN);
        }
        writers.stop();
        broker.stop();
    }
}
