package io.herald.event;

import io.herald.api.Jsons;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event in the hub's log. Its wire frame is encoded once, when the event is made, and shared by every subscriber.
 * The frame is also the event's only copy of a JSON object, array, number or literal payload: its {@code data:} line
 * is that payload's compact JSON text, which {@link #dataJson()} reads back. The history holds thousands of events,
 * so holding the parsed value and its text beside the frame tripled what every garbage collection copies (8 KiB
 * payloads: 24 KiB per event instead of 8). A string payload keeps its text, which the frame splits into lines.
 */
public final class HubEvent {

    private final EventId id;
    private final List<String> channels;
    private final String type;
    private final Integer retry;
    private final Audience audience;
    private final String targetClient;
    /** The payload when it is a JSON string; null when the frame holds it as JSON text from {@link #dataStart}. */
    private final JsonString stringData;
    private final byte[] frame;
    private final int dataStart;
    private final long publishedAtMillis;
    private final long publishedNanos;
    private volatile Map<String, byte[]> envelopes;

    public HubEvent(EventId id, EventDraft draft, long publishedAtMillis) {
        this.id = id;
        this.channels = draft.channels();
        this.type = draft.type();
        this.retry = draft.retry();
        this.audience = draft.audience();
        this.targetClient = draft.targetClient();
        this.publishedAtMillis = publishedAtMillis;
        this.publishedNanos = System.nanoTime();
        JsonValue data = draft.data();
        if (data instanceof JsonString s) {
            this.stringData = s;
            this.frame = EventEncoder.event(id.text(), type, retry, s.getString());
            this.dataStart = -1;
        } else if (data instanceof JsonStructure) {
            // written as UTF-8 straight into the frame's array, sized once from the value
            DataLineWriter line = new DataLineWriter(EventEncoder.head(id.text(), type, retry)
                    .getBytes(StandardCharsets.UTF_8), DataLineWriter.estimate(data));
            line.json(data);
            this.stringData = null;
            this.frame = line.finish();
            this.dataStart = line.dataStart();
        } else { // a number or a literal
            byte[] head = EventEncoder.head(id.text(), type, retry).getBytes(StandardCharsets.UTF_8);
            byte[] json = EventEncoder.singleLine(data.toString()).getBytes(StandardCharsets.UTF_8);
            this.stringData = null;
            this.frame = EventEncoder.frame(head, json);
            this.dataStart = EventEncoder.dataOffset(head);
        }
    }

    public EventId id() {
        return id;
    }

    public List<String> channels() {
        return channels;
    }

    public String type() {
        return type;
    }

    /** The SSE event name a client's {@code addEventListener} sees. */
    public String typeOrMessage() {
        return type == null ? "message" : type;
    }

    /** The payload, parsed again from the frame unless it is a string: for occasional use; see {@link #dataJson()}. */
    public JsonValue data() {
        if (stringData != null) {
            return stringData;
        }
        try (var reader = Jsons.JSON.createReader(
                new ByteArrayInputStream(frame, dataStart, frame.length - 2 - dataStart))) { // UTF-8, detected
            return reader.readValue();
        }
    }

    /** The payload's compact JSON text, as published: to splice into a JSON document without parsing it. */
    public String dataJson() {
        return stringData != null ? stringData.toString()
                : new String(frame, dataStart, frame.length - 2 - dataStart, StandardCharsets.UTF_8);
    }

    public Integer retry() {
        return retry;
    }

    public Audience audience() {
        return audience;
    }

    public String targetClient() {
        return targetClient;
    }

    /** The draft this event was made from (its data read back as in {@link #data()}). */
    public EventDraft draft() {
        return new EventDraft(channels, type, data(), retry, audience, targetClient);
    }

    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    public long publishedNanos() {
        return publishedNanos;
    }

    /** The frame with the data exactly as published. */
    public byte[] frame() {
        return frame;
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
        return map.computeIfAbsent(channel, c -> EventEncoder.event(id.text(), type, retry,
                "{\"channel\":" + JsonText.quote(c) + ",\"data\":" + dataJson() + "}"));
    }
}
