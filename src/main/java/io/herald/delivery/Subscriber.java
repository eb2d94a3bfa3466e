package io.herald.delivery;

import io.herald.channel.ChannelPattern;
import io.herald.event.HubEvent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Something the registry fans events out to: a stream connection or a waiting poll.
 * Filtering by event type and audience happens here, once per subscriber and event.
 */
public abstract class Subscriber {

    /** The dispatch round that last reached this subscriber: gives at-most-once delivery per event. */
    long mark = -1;

    private final List<ChannelPattern> patterns;
    private final Set<String> replayKeys;
    private final Set<String> eventTypes;
    private final Viewer viewer;

    protected Subscriber(List<ChannelPattern> patterns, Set<String> eventTypes, Viewer viewer) {
        this.patterns = List.copyOf(patterns);
        Set<String> keys = new HashSet<>();
        for (ChannelPattern p : this.patterns) {
            keys.add(p.replayKey()); // null when the pattern starts with a wildcard
        }
        this.replayKeys = keys.contains(null) ? null : Set.copyOf(keys);
        this.eventTypes = eventTypes == null || eventTypes.isEmpty() ? null : Set.copyOf(eventTypes);
        this.viewer = viewer == null ? Viewer.ANONYMOUS : viewer;
    }

    public List<ChannelPattern> patterns() {
        return patterns;
    }

    /**
     * Where a replay finds this subscriber's events ({@link ChannelPattern#replayKey()}): null when a pattern starts
     * with a wildcard, and the whole log after the id has to be read.
     */
    public Set<String> replayKeys() {
        return replayKeys;
    }

    public Set<String> eventTypes() {
        return eventTypes == null ? Set.of() : eventTypes;
    }

    public Viewer viewer() {
        return viewer;
    }

    /** The first of the event's channels this subscriber follows, or null. */
    public String matchingChannel(HubEvent event) {
        for (String channel : event.channels()) {
            for (ChannelPattern p : patterns) {
                if (p.matches(channel)) {
                    return channel;
                }
            }
        }
        return null;
    }

    /** Whether this subscriber may have the event that reached it through {@code channel}. */
    public boolean accepts(HubEvent event, String channel) {
        if (event.targetClient() != null) {
            return false;
        }
        if (eventTypes != null && !eventTypes.contains(event.typeOrMessage())) {
            return false;
        }
        return viewer.mayReceive(event.audience(), channel);
    }

    /** Takes an accepted event. Called by the dispatcher, in log order; must not block. */
    protected abstract void deliver(HubEvent event, String channel);
}
