package io.herald.delivery;

import io.herald.channel.ChannelPattern;
import io.herald.event.EventId;
import io.herald.event.HubEvent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open event stream. Frames wait in a bounded queue and are written by one writer thread with non-blocking
 * output, so a stalled socket holds only itself; when the queue overflows the client is dropped and resumes later
 * by {@code Last-Event-ID}. While history replays, live events are held back, then released without gap or double.
 */
public final class Connection extends Subscriber {

    /** Why a stream ended. */
    public enum CloseReason { CLIENT_GONE, WRITE_FAILED, SLOW_CLIENT, DISCONNECTED_BY_ADMIN, SHUTDOWN, TOKEN_EXPIRED }

    private final String clientId;
    private final boolean envelope;
    private final int maxQueue;
    private final ClientDetails details;
    private final long connectedAtMillis = System.currentTimeMillis();
    private final AtomicLong eventsSent = new AtomicLong();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Publish times of the queued frames, in queue order (0 for frames that are not events). */
    private final PublishStamps stamps = new PublishStamps();
    private final BatchPolicy batching;
    private Batch batch;
    final int shard;

    private Outbound out;
    private ConnectionEvents events;
    private boolean scheduled;
    private boolean replaying = true;
    private List<HubEvent> held = new ArrayList<>();
    private boolean closing;
    private volatile boolean closed;
    private volatile CloseReason closeReason;
    private volatile Runnable onClosed;
    /** Whether the registry counted this stream as needing heartbeat probes when it registered it. */
    boolean probed;
    private volatile EventId lastSentId;
    /** Set while the writer waits for the transport to become writable again. */
    private final java.util.concurrent.atomic.AtomicBoolean awaitingWritable = new java.util.concurrent.atomic.AtomicBoolean();

    /** What the registry learns about a connection's end. */
    public interface ConnectionEvents {
        /** Queues the connection for its writer; {@code wake} false when the dispatcher wakes writers itself. */
        void schedule(Connection connection, boolean wake);

        void closed(Connection connection, CloseReason reason);

        void delivered(Connection connection, HubEvent event);

        /** An event's frame went to the socket {@code nanos} after it was published. */
        void written(Connection connection, long nanos);
    }

    public Connection(String clientId, List<ChannelPattern> patterns, Set<String> eventTypes, boolean envelope,
                      Viewer viewer, int maxQueue, ClientDetails details, int shard, BatchPolicy batching) {
        super(patterns, eventTypes, viewer);
        this.batching = batching;
        this.clientId = clientId;
        this.envelope = envelope;
        this.maxQueue = maxQueue;
        this.details = details;
        this.shard = shard;
    }

    void attach(Outbound out, ConnectionEvents events) {
        this.out = out;
        this.events = events;
    }

    public String clientId() {
        return clientId;
    }

    public ClientDetails details() {
        return details;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public long eventsSent() {
        return eventsSent.get();
    }

    public synchronized int queueDepth() {
        return queue.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether this stream's transport needs a probe after each heartbeat (see {@link Outbound#needsProbe()}). */
    boolean needsProbe() {
        Outbound o = out;
        return o == null || o.needsProbe();
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    public EventId lastSentId() {
        return lastSentId;
    }

    @Override
    protected void deliver(HubEvent event, String channel) {
        boolean overflow;
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            if (replaying) {
                held.add(event);
                return;
            }
            if (batching.covers(channel)) {
                addToBatchLocked(event, channel);
                overflow = false;
            } else {
                overflow = !flushBatchLocked(false)
                        || !enqueueLocked(frameFor(event, channel), event.publishedNanos(), false);
            }
        }
        if (overflow) {
            close(CloseReason.SLOW_CLIENT);
        } else {
            events.delivered(this, event);
        }
    }

    /** Sends an event directly, outside channel routing (client-targeted sends and replay). */
    void sendEvent(HubEvent event, String channel) {
        boolean overflow;
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            overflow = !flushBatchLocked(true) || !enqueueLocked(frameFor(event, channel), event.publishedNanos(), true);
        }
        if (overflow) {
            close(CloseReason.SLOW_CLIENT);
            return;
        }
        events.delivered(this, event);
    }

    /** Gathers a batched channel's event; the window's first event sets the timer that sends them all. */
    private void addToBatchLocked(HubEvent event, String channel) {
        if (batch == null) {
            batch = new Batch();
        }
        if (batch.isEmpty()) {
            batching.schedule(this::flushBatch);
        }
        batch.add(event, channel);
    }

    private void flushBatch() {
        boolean overflow;
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            overflow = !flushBatchLocked(true);
        }
        if (overflow) {
            close(CloseReason.SLOW_CLIENT);
        }
    }

    /** Queues the gathered batch as one {@code event: batch}, before anything newer, so ids stay in order. */
    private boolean flushBatchLocked(boolean wake) {
        if (batch == null || batch.isEmpty()) {
            return true;
        }
        EventId last = batch.lastId();
        long firstPublished = batch.firstPublishedNanos();
        byte[] frame = batch.frame();
        batch.clear();
        if (!enqueueLocked(frame, firstPublished, wake)) {
            return false;
        }
        lastSentId = last;
        return true;
    }

    private byte[] frameFor(HubEvent event, String channel) {
        lastSentId = event.id();
        return envelope ? event.envelopeFrame(channel) : event.frame();
    }

    /** Queues a frame; returns false (and drops the client) when the queue is full. */
    public boolean send(byte[] frame) {
        return send(frame, true);
    }

    /** Queues a frame; with {@code wake} false the caller wakes the writers itself once it has queued many. */
    boolean send(byte[] frame, boolean wake) {
        boolean overflow;
        synchronized (this) {
            if (closed || closing) {
                return false;
            }
            overflow = !enqueueLocked(frame, 0, wake);
        }
        if (overflow) {
            close(CloseReason.SLOW_CLIENT);
            return false;
        }
        return true;
    }

    /**
     * Called with the lock held; {@code publishedNanos} is 0 for frames that are not events; {@code wake} false
     * when the dispatcher wakes the writers itself.
     */
    private boolean enqueueLocked(byte[] frame, long publishedNanos, boolean wake) {
        if (queue.size() >= maxQueue) {
            return false;
        }
        queue.add(frame);
        stamps.add(publishedNanos);
        if (!scheduled) {
            scheduled = true;
            events.schedule(this, wake);
        }
        return true;
    }

    /** Ends replay: releases held live events newer than {@code floor} (all of them when floor is null). */
    void goLive(EventId floor) {
        List<HubEvent> released = new ArrayList<>();
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            for (HubEvent event : held) {
                if (event.id().isAfter(floor)) {
                    if (!enqueueLocked(frameFor(event, matchingChannel(event)), event.publishedNanos(), true)) {
                        overflow = true;
                        break;
                    }
                    released.add(event);
                }
            }
            held = null;
            replaying = false;
        }
        if (overflow) {
            close(CloseReason.SLOW_CLIENT);
            return;
        }
        released.forEach(event -> events.delivered(this, event));
    }

    /**
     * Takes the writer's turn for the thread that opens the stream: frames queued while it opens (the {@code retry:},
     * {@code connected} and the replay) wait for {@link #endOpening} instead of waking the writer thread for each
     * new stream.
     */
    void beginOpening() {
        synchronized (this) {
            scheduled = true;
        }
    }

    /**
     * Ends the opening thread's turn. With {@code writeHere} (a transport whose writes never block the caller) the
     * opening thread writes what is queued itself, in one flush, so a new stream costs no hand-off to the writer
     * thread; otherwise, or when frames arrive meanwhile, the writer takes over as usual.
     */
    void endOpening(boolean writeHere) {
        if (writeHere && !drainOnOpener()) {
            return;
        }
        synchronized (this) {
            if (queue.isEmpty() && !closing) {
                scheduled = false;
                return;
            }
        }
        events.schedule(this, true);
    }

    /**
     * {@link #drain()} for the opening thread, which holds the turn: unlike the writer, it flushes before giving the
     * turn back, so a writer that takes it next can never put its bytes before these. False when the turn stays
     * with the transport (not ready: {@link #onWritable()} hands it to the writer) or the stream failed.
     */
    private boolean drainOnOpener() {
        if (closed || out == null) {
            return false;
        }
        try {
            return writeWhileReady(true);
        } catch (IOException | RuntimeException e) {
            close(CloseReason.WRITE_FAILED);
            return false;
        }
    }

    /** Writes what is queued while the transport is ready. Runs only on this connection's writer thread. */
    void drain() {
        if (closed || out == null) {
            return;
        }
        try {
            writeWhileReady(false);
        } catch (IOException | RuntimeException e) {
            close(CloseReason.WRITE_FAILED);
        }
    }

    /**
     * Writes queued frames while the transport is ready, then flushes. True when the queue ran empty; false when the
     * transport is not ready (it calls {@link #onWritable()} when it can take more; the turn stays taken). The
     * writer gives the turn back as it finds the queue empty; the {@code opener} keeps it (see
     * {@link #endOpening}).
     */
    private boolean writeWhileReady(boolean opener) throws IOException {
        while (true) {
            // set before asking, so a callback racing with a "not ready" answer is never lost
            awaitingWritable.set(true);
            if (!out.isReady()) {
                return false;
            }
            awaitingWritable.set(false);
            byte[] frame;
            long publishedNanos = 0;
            boolean finish = false;
            synchronized (this) {
                frame = queue.poll();
                if (frame != null) {
                    publishedNanos = stamps.poll();
                } else if (!opener) {
                    scheduled = false;
                    finish = closing;
                }
            }
            if (frame == null) {
                out.flush();
                if (finish) {
                    finishClose();
                }
                return true;
            }
            out.write(frame);
            eventsSent.incrementAndGet();
            if (publishedNanos != 0) {
                events.written(this, System.nanoTime() - publishedNanos);
            }
        }
    }

    /** The transport can take more bytes again. */
    public void onWritable() {
        if (!closed && awaitingWritable.getAndSet(false)) {
            events.schedule(this, true);
        }
    }

    /** Sends what is queued plus {@code lastFrame}, then ends the stream. */
    public void closeGracefully(byte[] lastFrame, CloseReason reason) {
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            flushBatchLocked(true); // a full queue drops the batch: the client resumes from before it
            if (lastFrame != null) {
                queue.add(lastFrame);
                stamps.add(0);
            }
            closing = true;
            closeReason = reason;
            if (!scheduled) {
                scheduled = true;
                events.schedule(this, true);
            }
        }
    }

    private void finishClose() {
        close(closeReason == null ? CloseReason.SHUTDOWN : closeReason);
    }

    /** Ends the stream at once, dropping whatever is queued. */
    public void close(CloseReason reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (closeReason == null) {
                closeReason = reason;
            }
            queue.clear();
            stamps.clear();
            batch = null;
            held = null;
        }
        events.closed(this, closeReason);
        Runnable hook = onClosed;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * Runs {@code hook} once when the stream ends (at once if it has ended): for what lives as long as the stream,
     * not as long as its HTTP exchange, which a transport may finish earlier.
     */
    public void whenClosed(Runnable hook) {
        synchronized (this) {
            if (!closed) {
                onClosed = hook;
                return;
            }
        }
        hook.run();
    }

    /** Completes the underlying response; called by the registry off the dispatch path. */
    void release() {
        if (out == null) {
            return;
        }
        if (closeReason == CloseReason.SLOW_CLIENT || closeReason == CloseReason.WRITE_FAILED) {
            out.abort();
        } else if (closeReason == CloseReason.CLIENT_GONE) {
            out.abandon();
        } else {
            out.close();
        }
    }
}
