package io.herald.delivery;

import io.herald.event.EventEncoder;
import io.herald.event.EventId;
import io.herald.event.HubEvent;
import io.herald.event.JsonText;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's gathered events on batched channels, sent as {@code event: batch} whose data is a JSON array of
 * {@code {"id", "channel", "event", "data"}} and whose {@code id:} is the last event's, so a resume stays exact.
 */
final class Batch {

    private final List<HubEvent> events = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();

    void add(HubEvent event, String channel) {
        events.add(event);
        channels.add(channel);
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    EventId lastId() {
        return events.get(events.size() - 1).id();
    }

    long firstPublishedNanos() {
        return events.get(0).publishedNanos();
    }

    byte[] frame() {
        StringBuilder items = new StringBuilder(256 * events.size()).append('[');
        for (int i = 0; i < events.size(); i++) {
            HubEvent e = events.get(i);
            items.append(i == 0 ? "{" : ",{");
            JsonText.field(items, "id", e.id().text()).append(',');
            JsonText.field(items, "channel", channels.get(i)).append(',');
            JsonText.field(items, "event", e.typeOrMessage()).append(",\"data\":").append(e.dataJson()).append('}');
        }
        return EventEncoder.event(lastId().text(), "batch", null, items.append(']').toString());
    }

    void clear() {
        events.clear();
        channels.clear();
    }
}
