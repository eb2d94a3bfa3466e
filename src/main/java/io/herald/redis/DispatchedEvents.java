package io.herald.redis;

import io.herald.event.EventId;
import io.herald.event.HubEvent;
import io.herald.history.RecentEvents;
import io.herald.history.Replay;

import java.util.Set;

/**
 * The newest entries this node dispatched, up to {@code herald.history.size}: a client resuming from one of them
 * replays from memory, reading only its channels' events, so a reconnect storm costs Redis nothing and a resume works
 * while Redis is briefly away. The entries are contiguous from where the node's reader started.
 */
final class DispatchedEvents {

    private final RecentEvents recent;
    private final long maxAgeMillis;
    /** The id the held entries follow on from: where the reader stood before the first of them. */
    private EventId base;

    DispatchedEvents(int size, long maxAgeMillis) {
        this.recent = new RecentEvents(size);
        this.maxAgeMillis = maxAgeMillis;
    }

    /** Keeps {@code event}, the entry after {@code previous} in the log; called before it is dispatched. */
    synchronized void add(EventId previous, HubEvent event) {
        if (recent.head() == 0) {
            base = previous;
        }
        recent.add(event);
    }

    /**
     * The events after {@code after} (only those on {@code channels}; null: all), up to the last one dispatched, from
     * where live delivery goes on; null when {@code after} is not held here, so Redis has to answer.
     */
    synchronized Replay readAfter(EventId after, Set<String> channels) {
        long head = recent.head();
        if (head == 0) {
            return null;
        }
        long from = recent.oldest() == 1 && after.compareTo(base) == 0 ? 0 : recent.positionOf(after);
        if (from < 0) {
            return null;
        }
        EventId upTo = recent.at(head).id();
        if (maxAgeMillis > 0 && from < head
                && recent.at(from + 1).id().major() < System.currentTimeMillis() - maxAgeMillis) {
            return Replay.reset("expired", upTo);
        }
        return Replay.of(recent.after(from, channels), upTo);
    }
}
