package io.herald.event;

import jakarta.json.JsonValue;

import java.util.List;

/**
 * A validated event before the broker gives it an id.
 *
 * @param channels     the channels it is published on (one event, one id, even with several)
 * @param type         the SSE event name, or null for the default {@code message}
 * @param data         the payload
 * @param retry        a {@code retry:} value in ms to send with it, or null
 * @param audience     who may see it beyond channel subscription
 * @param targetClient a client id when sent to one connection only, else null
 */
public record EventDraft(List<String> channels, String type, JsonValue data, Integer retry, Audience audience,
                         String targetClient) {

    public EventDraft {
        channels = List.copyOf(channels);
        audience = audience == null ? Audience.EVERYONE : audience;
    }

    public static EventDraft of(String channel, String type, JsonValue data) {
        return new EventDraft(List.of(channel), type, data, null, Audience.EVERYONE, null);
    }
}
