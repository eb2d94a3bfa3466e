package io.herald.event;

import io.herald.api.Jsons;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event in the hub's log. Its wire frames are encoded once per event and shared by every subscriber.
 */
public final class HubEvent {

    private final EventId id;
    private final EventDraft draft;
    private final String dataText;
    private final long publishedAtMillis;
    private final long publishedNanos;
    private volatile byte[] frame;
    private volatile Map<String, byte[]> envelopes;

    public HubEvent(EventId id, EventDraft draft, long publishedAtMillis) {
        this.id = id;
        this.draft = draft;
        this.dataText = EventEncoder.wireText(draft.data());
        this.publishedAtMillis = publishedAtMillis;
        this.publishedNanos = System.nanoTime();
    }

    public EventId id() {
        return id;
    }

    public List<String> channels() {
        return draft.channels();
    }

    public String type() {
        return draft.type();
    }

    /** The SSE event name a client's {@code addEventListener} sees. */
    public String typeOrMessage() {
        return draft.type() == null ? "message" : draft.type();
    }

    public JsonValue data() {
        return draft.data();
    }

    public Integer retry() {
        return draft.retry();
    }

    public Audience audience() {
        return draft.audience();
    }

    public String targetClient() {
        return draft.targetClient();
    }

    public EventDraft draft() {
        return draft;
    }

    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    public long publishedNanos() {
        return publishedNanos;
    }

    /** The frame with the data exactly as published. */
    public byte[] frame() {
        byte[] f = frame;
        if (f == null) {
            f = EventEncoder.event(id.text(), draft.type(), draft.retry(), dataText);
            frame = f;
        }
        return f;
    }

    /** The frame with the data wrapped as {@code {"channel": ..., "data": ...}}. */
    public byte[] envelopeFrame(String channel) {
        Map<String, byte[]> map = envelopes;
        if (map == null) {
            synchronized (this) {
                if (envelopes == null) {
                    envelopes = new ConcurrentHashMap<>(2);
                }
                map = envelopes;
            }
        }
        return map.computeIfAbsent(channel, c -> EventEncoder.event(id.text(), draft.type(), draft.retry(),
                Jsons.JSON.createObjectBuilder().add("channel", c).add("data", draft.data()).build().toString()));
    }
}
