package io.herald.history;

import io.herald.event.EventDraft;
import io.herald.event.EventId;
import io.herald.event.HubEvent;

import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * The single-node broker: a ring buffer of the last {@code size} events. Ids are {@code <epoch>-<seq>}, where the
 * epoch is new at every start, so an id from before a restart is recognised as unknown.
 * Appending and dispatching happen under one lock, which gives every connection strictly increasing ids.
 * A client that follows a few named channels resumes by reading those channels' events only ({@link RecentEvents}).
 */
public final class MemoryBroker implements EventBroker {

    private static final Pattern PREVIOUS_EPOCH_ID = Pattern.compile("[0-9a-f]{10}-[0-9]+");

    private final String epoch;
    /** The retained events; an event's position there is its sequence number. Guarded by the lock. */
    private final RecentEvents recent;
    private final long maxAgeMillis;
    private final Object lock = new Object();
    private ToIntFunction<HubEvent> dispatcher = e -> 0;

    public MemoryBroker(int size, long maxAgeMillis) {
        this.recent = new RecentEvents(size);
        this.maxAgeMillis = maxAgeMillis;
        this.epoch = newEpoch();
    }

    private static String newEpoch() {
        byte[] bytes = new byte[5];
        new SecureRandom().nextBytes(bytes);
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public void start(ToIntFunction<HubEvent> dispatcher) {
        synchronized (lock) {
            this.dispatcher = dispatcher;
        }
    }

    @Override
    public CompletionStage<Appended> append(EventDraft draft) {
        synchronized (lock) {
            HubEvent event = new HubEvent(idOf(recent.head() + 1), draft, System.currentTimeMillis());
            recent.add(event);
            int subscribers = dispatcher.applyAsInt(event);
            return CompletableFuture.completedFuture(new Appended(event, subscribers));
        }
    }

    @Override
    public Replay readAfter(String lastEventId) {
        return readAfter(lastEventId, null);
    }

    /** With {@code channels}, only the events on those channels: read from each channel's index. */
    @Override
    public Replay readAfter(String lastEventId, Set<String> channels) {
        long after = parse(lastEventId);
        synchronized (lock) {
            long head = recent.head();
            EventId headId = idOf(head);
            if (after < 0 || after > head) {
                if (isFromAnotherStart(lastEventId) && oldestRetained() == 1) {
                    // The client saw nothing of this start: it reloads its state from the start of this epoch,
                    // and gets every event since, so nothing published between restart and reconnect is lost.
                    return new Replay(recent.after(0, channels), headId, new Replay.Reset("unknown-id", idOf(0)));
                }
                return Replay.reset("unknown-id", headId);
            }
            if (after < oldestRetained() - 1) {
                return Replay.reset("expired", headId);
            }
            return Replay.of(recent.after(after, channels), headId);
        }
    }

    /** An id of this broker's form from an earlier start (another epoch). */
    private boolean isFromAnotherStart(String id) {
        return id != null && PREVIOUS_EPOCH_ID.matcher(id).matches() && !id.startsWith(epoch + "-");
    }

    /** The oldest sequence still replayable, by count and by age. Called under the lock. */
    private long oldestRetained() {
        long oldest = recent.oldest();
        if (maxAgeMillis > 0) {
            long cutoff = System.currentTimeMillis() - maxAgeMillis;
            while (oldest <= recent.head() && recent.at(oldest).publishedAtMillis() < cutoff) {
                oldest++;
            }
        }
        return oldest;
    }

    private long parse(String id) {
        if (id == null) {
            return -1;
        }
        int dash = id.lastIndexOf('-');
        if (dash <= 0 || !id.substring(0, dash).equals(epoch)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private EventId idOf(long seq) {
        return new EventId(epoch + "-" + seq, seq, 0);
    }

    @Override
    public EventId head() {
        synchronized (lock) {
            return idOf(recent.head());
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            dispatcher = e -> 0;
        }
    }
}
