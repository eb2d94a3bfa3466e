package io.herald.history;

import io.herald.channel.ChannelPattern;
import io.herald.event.EventId;
import io.herald.event.HubEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The newest events of the log, in log order, in a ring of fixed size, with each channel's retained positions, so a
 * client that follows a few channels resumes by reading those events only, not the whole log: in a reconnect storm
 * every client resumes at once. Each event is indexed under its channel names and, for a name with dots, under each
 * of its first {@link ChannelPattern#INDEXED_SEGMENTS} segments ({@link ChannelPattern#segmentKey}: {@code stock.**},
 * {@code #1.AAPL}), so a pattern such as {@code stock.*} reads the events under {@code stock.} only, and
 * {@code *.AAPL} those whose second segment is {@code AAPL}. Events get positions 1, 2, 3... as they are added. Not
 * thread-safe: the broker that owns it guards it.
 */
public final class RecentEvents {

    private final HubEvent[] ring;
    /** The index keys of the event in the same slot of {@link #ring}, worked out once when it is added. */
    private final String[][] keysAt;
    /** Index key (a channel name, or {@code first.**}) to the positions of its events in the ring, oldest first. */
    private final Map<String, SeqList> byChannel = new HashMap<>();
    private long head;

    public RecentEvents(int size) {
        this.ring = new HubEvent[Math.max(1, size)];
        this.keysAt = new String[ring.length][];
    }

    /** Adds the log's next event, which drops the oldest once the ring is full; answers its position. */
    public long add(HubEvent event) {
        long position = ++head;
        int slot = (int) (position % ring.length);
        if (ring[slot] != null) {
            unindex(keysAt[slot], position - ring.length);
        }
        ring[slot] = event;
        keysAt[slot] = keysOf(event);
        index(keysAt[slot], position);
        return position;
    }

    /** The position of the newest event; 0 while empty. */
    public long head() {
        return head;
    }

    /** The position of the oldest event still held (by count; the owner applies any age limit). */
    public long oldest() {
        return Math.max(1, head - ring.length + 1);
    }

    /** The event at a position between {@link #oldest()} and {@link #head()}. */
    public HubEvent at(long position) {
        return ring[(int) (position % ring.length)];
    }

    /** The position of the held event with this id, found by its place in the log's order; -1 when none. */
    public long positionOf(EventId id) {
        long lo = oldest();
        long hi = head;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            int order = at(mid).id().compareTo(id);
            if (order == 0) {
                return mid;
            }
            if (order < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /**
     * The held events after {@code position}, all (null) or those under {@code channels}: names, or {@code first.**}
     * keys; in log order, each once.
     */
    public List<HubEvent> after(long position, Set<String> channels) {
        if (channels == null) {
            List<HubEvent> events = new ArrayList<>((int) Math.max(0, head - position));
            for (long p = Math.max(position + 1, oldest()); p <= head; p++) {
                events.add(at(p));
            }
            return events;
        }
        long[] positions = null;
        int n = 0;
        for (String channel : channels) {
            SeqList list = byChannel.get(channel);
            if (list == null) {
                continue;
            }
            int from = list.firstAfter(position);
            int count = list.size() - from;
            if (count == 0) {
                continue;
            }
            positions = positions == null ? new long[count] : Arrays.copyOf(positions, n + count);
            for (int i = from; i < list.size(); i++) {
                positions[n++] = list.get(i);
            }
        }
        if (n == 0) {
            return List.of();
        }
        if (channels.size() > 1) {
            Arrays.sort(positions, 0, n);
        }
        List<HubEvent> events = new ArrayList<>(n);
        long previous = -1;
        for (int i = 0; i < n; i++) {
            if (positions[i] != previous) { // an event on two of the channels is read once
                events.add(at(positions[i]));
                previous = positions[i];
            }
        }
        return events;
    }

    /** Each channel's name and, for a name with dots, its first segments' keys. */
    private static String[] keysOf(HubEvent event) {
        List<String> keys = new ArrayList<>(4 * event.channels().size());
        for (String channel : event.channels()) {
            keys.add(channel);
            if (channel.indexOf('.') > 0) {
                String[] segments = channel.split("\\.", ChannelPattern.INDEXED_SEGMENTS + 1);
                for (int i = 0; i < Math.min(segments.length, ChannelPattern.INDEXED_SEGMENTS); i++) {
                    keys.add(ChannelPattern.segmentKey(i, segments[i]));
                }
            }
        }
        return keys.toArray(String[]::new);
    }

    private void index(String[] keys, long position) {
        for (String key : keys) {
            SeqList list = byChannel.computeIfAbsent(key, c -> new SeqList());
            if (list.size() == 0 || list.get(list.size() - 1) != position) { // an event on two channels of one key
                list.add(position);
            }
        }
    }

    /** The ring drops its oldest event, which is the oldest under each of its keys. */
    private void unindex(String[] keys, long position) {
        for (String key : keys) {
            unindexUnder(key, position);
        }
    }

    private void unindexUnder(String key, long position) {
        SeqList list = byChannel.get(key);
        if (list != null && list.size() > 0 && list.get(0) == position) {
            list.removeFirst();
            if (list.size() == 0) {
                byChannel.remove(key);
            }
        }
    }
}
