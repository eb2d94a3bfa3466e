package io.herald.redis;

import io.herald.api.Jsons;
import io.herald.event.Audience;
import io.herald.event.EventDraft;
import io.herald.event.EventId;
import io.herald.event.HubEvent;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an event is stored as a Redis stream entry, and read back. Short field names keep entries small:
 * {@code c} channels (comma-separated: channel names never hold a comma), {@code d} the data as JSON,
 * {@code t} type, {@code r} retry, {@code p} private, {@code m} permission, {@code k} target client,
 * {@code o} the publishing node's token for its own publish (so it can answer with its local subscriber count).
 */
public final class StreamEntries {

    // Jsons.JSON.createReader looks the provider up on every call; one lookup is enough.
    private static final JsonProvider JSON = JsonProvider.provider();

    private StreamEntries() {
    }

    public static Map<String, String> encode(EventDraft draft, String origin) {
        Map<String, String> fields = new LinkedHashMap<>(8);
        fields.put("c", String.join(",", draft.channels()));
        fields.put("d", draft.data().toString());
        if (draft.type() != null) {
            fields.put("t", draft.type());
        }
        if (draft.retry() != null) {
            fields.put("r", draft.retry().toString());
        }
        if (draft.audience().privateEvent()) {
            fields.put("p", "1");
        }
        if (draft.audience().permission() != null) {
            fields.put("m", draft.audience().permission());
        }
        if (draft.targetClient() != null) {
            fields.put("k", draft.targetClient());
        }
        if (origin != null) {
            fields.put("o", origin);
        }
        return fields;
    }

    public static HubEvent decode(String id, Map<String, String> fields) {
        EventId eventId = parseId(id);
        if (eventId == null) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        String channels = fields.getOrDefault("c", "");
        List<String> channelList = channels.isEmpty() ? List.of() : Arrays.asList(channels.split(","));
        String data = fields.get("d");
        if (data == null) {
            throw new IllegalArgumentException("Stream entry " + id + " has no data");
        }
        JsonValue value;
        try (var reader = JSON.createReader(new StringReader(data))) {
            value = reader.readValue();
        }
        String retry = fields.get("r");
        Audience audience = new Audience("1".equals(fields.get("p")), fields.get("m"));
        EventDraft draft = new EventDraft(channelList, fields.get("t"), value,
                retry == null ? null : Integer.valueOf(retry), audience, fields.get("k"));
        return new HubEvent(eventId, draft, eventId.major());
    }

    /** A stream id {@code <ms>-<seq>} as an event id, or null when the text is not one. */
    public static EventId parseId(String text) {
        if (text == null) {
            return null;
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return null;
        }
        try {
            long ms = Long.parseLong(text, 0, dash, 10);
            long seq = Long.parseLong(text, dash + 1, text.length(), 10);
            if (ms < 0 || seq < 0) {
                return null;
            }
            return new EventId(ms + "-" + seq, ms, seq);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
