package io.herald.redis;

import io.herald.event.EventDraft;
import io.herald.event.EventId;
import io.herald.event.HubEvent;
import io.herald.history.EventBroker;
import io.herald.history.Replay;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster broker: the hub's log is one Redis stream. Publishing is an {@code XADD} (trimmed to about
 * {@code herald.history.size}); the stream id is the event id, valid on every node. Each node reads the stream with
 * {@code XREAD BLOCK} on one thread and dispatches every entry in stream order; after an outage it goes on from the
 * last id it dispatched, so its clients see no gap and no duplicate.
 * A client resumes from the entries this node dispatched ({@link DispatchedEvents}) when they reach back to its id,
 * else with an {@code XRANGE} after it.
 */
public final class RedisBroker implements EventBroker {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    private static final int READ_BATCH = 512;
    private static final long LOCAL_DISPATCH_WAIT_MS = 2000;

    private final RedisConnections redis;
    private final String streamKey;
    private final String nodeId;
    private final int historySize;
    private final long maxAgeMillis;
    private final int waitReplicas;
    private final ThreadFactory threads;
    private final AtomicLong originSeq = new AtomicLong();
    /** Publishes from this node waiting for the reader to dispatch them, by their origin token. */
    private final Map<String, CompletableFuture<Appended>> ownPublishes = new ConcurrentHashMap<>();

    private volatile ToIntFunction<HubEvent> dispatcher = e -> 0;
    private volatile boolean running;
    /** The id of the last entry this node dispatched; null until the reader knows where the log stands. */
    private volatile EventId position;
    private final DispatchedEvents dispatched;
    private Thread readerThread;
    private long lastAgeTrimMillis;

    public RedisBroker(RedisConnections redis, String keyPrefix, String nodeId, int historySize, long maxAgeMillis,
                       int waitReplicas, ThreadFactory threads) {
        this.redis = redis;
        this.streamKey = keyPrefix + ":events";
        this.nodeId = nodeId;
        this.historySize = Math.max(1, historySize);
        this.maxAgeMillis = maxAgeMillis;
        this.waitReplicas = waitReplicas;
        this.threads = threads;
        this.dispatched = new DispatchedEvents(this.historySize, maxAgeMillis);
    }

    @Override
    public synchronized void start(ToIntFunction<HubEvent> dispatcher) {
        this.dispatcher = dispatcher;
        if (running) {
            return;
        }
        running = true;
        try {
            position = head(); // known before the first stream opens, when Redis is up at start
        } catch (RuntimeException e) {
            LOG.warning("Redis is not reachable at start; the reader keeps trying: " + e.getMessage());
        }
        readerThread = threads.newThread(this::readLoop);
        readerThread.setName("herald-redis-reader");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    @Override
    public CompletionStage<Appended> append(EventDraft draft) {
        String origin = nodeId + ":" + originSeq.incrementAndGet();
        CompletableFuture<Appended> dispatched = new CompletableFuture<>();
        ownPublishes.put(origin, dispatched);
        CompletableFuture<String> added;
        try {
            RedisAsyncCommands<String, String> cmd = redis.commands().async();
            XAddArgs args = XAddArgs.Builder.maxlen(historySize).approximateTrimming();
            added = cmd.xadd(streamKey, args, StreamEntries.encode(draft, origin)).toCompletableFuture();
            if (waitReplicas > 0) {
                // WAIT on the same connection covers this XADD and everything written before it.
                added = added.thenCompose(id -> cmd.waitForReplication(waitReplicas, redis.timeoutMs())
                        .toCompletableFuture().thenApply(acked -> {
                            if (acked < waitReplicas) {
                                throw redis.unavailable("Only " + acked + " of " + waitReplicas
                                        + " Redis replicas acknowledged event " + id, null);
                            }
                            return id;
                        }));
            }
        } catch (RuntimeException e) {
            ownPublishes.remove(origin);
            return CompletableFuture.failedFuture(asUnavailable(e));
        }
        return added.handle((id, failure) -> {
            if (failure != null) {
                ownPublishes.remove(origin);
                throw asUnavailable(failure instanceof java.util.concurrent.CompletionException ce
                        && ce.getCause() != null ? ce.getCause() : failure);
            }
            return id;
        }).thenCompose(id -> {
            // Answer once this node has dispatched the event, so a local subscriber has it before the publisher
            // hears back; if the reader lags (or Redis went away right after XADD), answer anyway: the log has it.
            EventId eventId = StreamEntries.parseId(id);
            HubEvent fallback = new HubEvent(eventId, draft, eventId.major());
            return dispatched.completeOnTimeout(new Appended(fallback, 0), LOCAL_DISPATCH_WAIT_MS,
                    TimeUnit.MILLISECONDS).whenComplete((a, f) -> ownPublishes.remove(origin));
        });
    }

    private RuntimeException asUnavailable(Throwable failure) {
        if (failure instanceof io.herald.history.BrokerUnavailableException bue) {
            return bue;
        }
        return redis.unavailable("Redis did not accept the event: " + failure.getMessage(), failure);
    }

    @Override
    public Replay readAfter(String lastEventId) {
        return readAfter(lastEventId, null);
    }

    /** From this node's recent events when they reach back to the client's id (only {@code channels}' events). */
    @Override
    public Replay readAfter(String lastEventId, Set<String> channels) {
        if (position == null) {
            // Until the reader knows where it starts, a replay could not be joined to live delivery without a gap.
            throw redis.unavailable("The Redis reader is not running yet", null);
        }
        EventId after = StreamEntries.parseId(lastEventId);
        if (after == null) {
            return Replay.reset("unknown-id", head());
        }
        Replay fromMemory = dispatched.readAfter(after, channels);
        if (fromMemory != null) {
            return fromMemory;
        }
        List<StreamMessage<String, String>> entries = sync(redis.commands().async().xrange(streamKey,
                Range.create(after.text(), "+"), Limit.from(2L * historySize + 1024)));
        boolean found = !entries.isEmpty() && sameId(entries.get(0).getId(), after);
        if (!found && !isLogStart(after)) {
            EventId head = entries.isEmpty() ? head() : lastId(entries);
            boolean newer = after.compareTo(head) > 0;
            return Replay.reset(newer ? "unknown-id" : "expired", head);
        }
        List<StreamMessage<String, String>> missed = found ? entries.subList(1, entries.size()) : entries;
        if (maxAgeMillis > 0 && !missed.isEmpty()
                && StreamEntries.parseId(missed.get(0).getId()).major() < System.currentTimeMillis() - maxAgeMillis) {
            return Replay.reset("expired", lastId(entries));
        }
        List<HubEvent> events = new java.util.ArrayList<>(missed.size());
        for (StreamMessage<String, String> m : missed) {
            HubEvent e = decodeOrNull(m);
            if (e != null) {
                events.add(e);
            }
        }
        return Replay.of(events, entries.isEmpty() ? after : lastId(entries));
    }

    /** {@code 0-0}, the head of an empty log: valid while the stream has never been trimmed. */
    private boolean isLogStart(EventId id) {
        if (id.major() != 0 || id.minor() != 0) {
            return false;
        }
        return sync(redis.commands().async().xlen(streamKey)) < historySize;
    }

    private static boolean sameId(String streamId, EventId id) {
        EventId e = StreamEntries.parseId(streamId);
        return e != null && e.compareTo(id) == 0;
    }

    private static EventId lastId(List<StreamMessage<String, String>> entries) {
        return StreamEntries.parseId(entries.get(entries.size() - 1).getId());
    }

    @Override
    public EventId head() {
        List<StreamMessage<String, String>> last = sync(redis.commands().async()
                .xrevrange(streamKey, Range.create("-", "+"), Limit.from(1)));
        return last.isEmpty() ? new EventId("0-0", 0, 0) : StreamEntries.parseId(last.get(0).getId());
    }

    /** The id of the last entry this node dispatched (null before the reader has started). */
    public EventId position() {
        return position;
    }

    private <T> T sync(CompletionStage<T> future) {
        return redis.await(future);
    }

    private void readLoop() {
        long backoffMs = 50;
        while (running) {
            try {
                if (position == null) {
                    position = head();
                }
                List<StreamMessage<String, String>> batch = redis.reader().sync().xread(
                        XReadArgs.Builder.block(Math.max(100, redis.timeoutMs() / 2)).count(READ_BATCH),
                        XReadArgs.StreamOffset.from(streamKey, position.text()));
                backoffMs = 50;
                if (batch != null) {
                    for (StreamMessage<String, String> m : batch) {
                        dispatchEntry(m);
                    }
                }
                trimByAge();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!(e instanceof io.herald.history.BrokerUnavailableException)) {
                    redis.failed();
                }
                LOG.log(Level.FINE, "Redis stream read failed; retrying from " + position, e);
                sleep(backoffMs);
                backoffMs = Math.min(1000, backoffMs * 2);
            }
        }
    }

    private void dispatchEntry(StreamMessage<String, String> m) {
        HubEvent event = decodeOrNull(m);
        EventId id = StreamEntries.parseId(m.getId());
        if (event != null) {
            // kept before it is dispatched: a replay that reads it there is joined to live delivery without a gap
            dispatched.add(position, event);
            int subscribers = dispatcher.applyAsInt(event);
            String origin = m.getBody().get("o");
            if (origin != null && origin.startsWith(nodeId + ":")) {
                CompletableFuture<Appended> waiting = ownPublishes.remove(origin);
                if (waiting != null) {
                    waiting.complete(new Appended(event, subscribers));
                }
            }
        }
        position = id;
    }

    private HubEvent decodeOrNull(StreamMessage<String, String> m) {
        try {
            return StreamEntries.decode(m.getId(), m.getBody());
        } catch (RuntimeException e) {
            LOG.warning("Skipping stream entry " + m.getId() + " that is not a Herald event: " + e.getMessage());
            return null;
        }
    }

    /** With {@code herald.history.max-age-ms}, drops entries older than that about once a second (any node may). */
    private void trimByAge() {
        if (maxAgeMillis <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastAgeTrimMillis < 1000) {
            return;
        }
        lastAgeTrimMillis = now;
        redis.commands().async().xtrim(streamKey, XTrimArgs.Builder.minId((now - maxAgeMillis) + "-0")
                .approximateTrimming());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        dispatcher = e -> 0;
        if (readerThread != null) {
            readerThread.interrupt();
            try {
                readerThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
