package io.herald.event;

/**
 * A hub-wide event id. Clients see only {@link #text()}, an opaque string; the hub orders ids by
 * ({@code major}, {@code minor}), which the broker derives from its log position.
 */
public record EventId(String text, long major, long minor) implements Comparable<EventId> {

    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(major, o.major);
        return c != 0 ? c : Long.compare(minor, o.minor);
    }

    public boolean isAfter(EventId other) {
        return other == null || compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
