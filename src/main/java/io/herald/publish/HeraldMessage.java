package io.herald.publish;

import io.herald.api.Jsons;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;

/**
 * An event for in-process publishing: fire it as a CDI event ({@code event.fireAsync(message)}) and the hub
 * publishes it, or hand it to {@link Publisher#publish(HeraldMessage)}.
 *
 * @param channels the channels (one event, one id)
 * @param event    the SSE event name, or null
 * @param data     the payload
 */
public record HeraldMessage(List<String> channels, String event, JsonValue data) {

    public HeraldMessage {
        channels = List.copyOf(channels);
    }

    public static HeraldMessage of(String channel, String event, JsonValue data) {
        return new HeraldMessage(List.of(channel), event, data);
    }

    /** A message whose data is a JSON document given as text. */
    public static HeraldMessage ofJson(String channel, String event, String json) {
        try (var reader = Jsons.JSON.createReader(new StringReader(json))) {
            return of(channel, event, reader.readValue());
        }
    }

    /** A message whose data is plain text (sent on the wire as the text itself). */
    public static HeraldMessage ofText(String channel, String event, String text) {
        return of(channel, event, Jsons.JSON.createValue(text));
    }
}
