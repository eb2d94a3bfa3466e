package io.herald.history;

import io.herald.event.EventDraft;
import io.herald.event.EventId;
import io.herald.event.HubEvent;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * The single-node broker: a ring buffer of the last {@code size} events. Ids are {@code <epoch>-<seq>}, where the
 * epoch is new at every start, so an id from before a restart is recognised as unknown.
 * Appending and dispatching happen under one lock, which gives every connection strictly increasing ids.
 * Each channel keeps the sequence numbers of its retained events, so a client that follows a few named channels
 * resumes by reading those events only, not the whole log: in a reconnect storm every client resumes at once.
 */
public final class MemoryBroker implements EventBroker {

    private static final Pattern PREVIOUS_EPOCH_ID = Pattern.compile("[0-9a-f]{10}-[0-9]+");

    private final String epoch;
    private final HubEvent[] ring;
    private final long maxAgeMillis;
    private final Object lock = new Object();
    /** Channel name to the sequence numbers of its events still in the ring, oldest first. Guarded by the lock. */
    private final Map<String, SeqList> byChannel = new HashMap<>();
    private long head;
    private ToIntFunction<HubEvent> dispatcher = e -> 0;

    public MemoryBroker(int size, long maxAgeMillis) {
        this.ring = new HubEvent[Math.max(1, size)];
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
            long seq = ++head;
            HubEvent event = new HubEvent(idOf(seq), draft, System.currentTimeMillis());
            int slot = (int) (seq % ring.length);
            if (ring[slot] != null) {
                unindex(ring[slot]);
            }
            ring[slot] = event;
            index(event);
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
            EventId headId = idOf(head);
            if (after < 0 || after > head) {
                if (isFromAnotherStart(lastEventId) && oldestRetained() == 1) {
                    // The client saw nothing of this start: it reloads its state from the start of this epoch,
                    // and gets every event since, so nothing published between restart and reconnect is lost.
                    return new Replay(eventsAfter(0, channels), headId, new Replay.Reset("unknown-id", idOf(0)));
                }
                return Replay.reset("unknown-id", headId);
            }
            long oldest = oldestRetained();
            if (after < oldest - 1) {
                return Replay.reset("expired", headId);
            }
            return Replay.of(eventsAfter(after, channels), headId);
        }
    }

    /** The events after sequence {@code after}, all or on {@code channels} only, in log order. Called under the lock. */
    private List<HubEvent> eventsAfter(long after, Set<String> channels) {
        if (channels == null) {
            List<HubEvent> events = new ArrayList<>((int) (head - after));
            for (long seq = after + 1; seq <= head; seq++) {
                events.add(ring[(int) (seq % ring.length)]);
            }
            return events;
        }
        long[] seqs = null;
        int n = 0;
        for (String channel : channels) {
            SeqList list = byChannel.get(channel);
            if (list == null) {
                continue;
            }
            int from = list.firstAfter(after);
            int count = list.size() - from;
            if (count == 0) {
                continue;
            }
            seqs = seqs == null ? new long[count] : Arrays.copyOf(seqs, n + count);
            for (int i = from; i < list.size(); i++) {
                seqs[n++] = list.get(i);
            }
        }
        if (n == 0) {
            return List.of();
        }
        if (channels.size() > 1) {
            Arrays.sort(seqs, 0, n);
        }
        List<HubEvent> events = new ArrayList<>(n);
        long previous = -1;
        for (int i = 0; i < n; i++) {
            if (seqs[i] != previous) { // an event on two of the channels is read once
                events.add(ring[(int) (seqs[i] % ring.length)]);
                previous = seqs[i];
            }
        }
        return events;
    }

    private void index(HubEvent event) {
        long seq = event.id().major();
        for (String channel : event.channels()) {
            SeqList list = byChannel.computeIfAbsent(channel, c -> new SeqList());
            if (list.size() == 0 || list.get(list.size() - 1) != seq) {
                list.add(seq);
            }
        }
    }

    /** The ring drops its oldest event, which is the oldest of each of its channels. */
    private void unindex(HubEvent event) {
        long seq = event.id().major();
        for (String channel : event.channels()) {
            SeqList list = byChannel.get(channel);
            if (list != null && list.size() > 0 && list.get(0) == seq) {
                list.removeFirst();
                if (list.size() == 0) {
                    byChannel.remove(channel);
                }
            }
        }
    }

    /** An id of this broker's form from an earlier start (another epoch). */
    private boolean isFromAnotherStart(String id) {
        return id != null && PREVIOUS_EPOCH_ID.matcher(id).matches() && !id.startsWith(epoch + "-");
    }

    /** The oldest sequence still replayable, by count and by age. Called under the lock. */
    private long oldestRetained() {
        long oldest = Math.max(1, head - ring.length + 1);
        if (maxAgeMillis > 0) {
            long cutoff = System.currentTimeMillis() - maxAgeMillis;
            while (oldest <= head && ring[(int) (oldest % ring.length)].publishedAtMillis() < cutoff) {
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
            return idOf(head);
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            dispatcher = e -> 0;
        }
    }
}
