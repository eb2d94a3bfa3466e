package io.herald.publish;

import io.herald.api.ApiException;
import io.herald.channel.ChannelName;
import io.herald.event.Audience;
import io.herald.event.EventDraft;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns publish bodies into validated drafts; every item is checked before anything is published. */
public final class PublishRequests {

    private static final long MAX_RETRY_MS = 86_400_000L;

    private PublishRequests() {
    }

    /** {@code {"event": "name", "data": <any JSON>, "retry": ms, "private": bool, "permission": "name"}}. */
    public static EventDraft single(JsonValue body, List<String> channels, String targetClient) {
        JsonObject o = requireObject(body, "The body must be a JSON object with a \"data\" member");
        return draft(o, channels, targetClient);
    }

    /** An array whose items each carry {@code channel} or {@code channels}. */
    public static List<EventDraft> batch(JsonValue body) {
        if (!(body instanceof JsonArray array)) {
            throw ApiException.badRequest("invalid_body", "The body must be a JSON array of events");
        }
        if (array.isEmpty()) {
            throw ApiException.badRequest("invalid_body", "The batch is empty");
        }
        List<EventDraft> drafts = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject item = requireObject(array.get(i), "Item " + i + " must be a JSON object");
            try {
                drafts.add(draft(item, channelsOf(item), null));
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.error(), "Item " + i + ": " + e.getMessage());
            }
        }
        return drafts;
    }

    private static List<String> channelsOf(JsonObject item) {
        JsonValue one = item.get("channel");
        JsonValue many = item.get("channels");
        Set<String> channels = new LinkedHashSet<>();
        if (one != null) {
            channels.add(ChannelName.require(string(one, "channel")));
        }
        if (many != null) {
            if (!(many instanceof JsonArray list) || list.isEmpty()) {
                throw ApiException.badRequest("invalid_channel", "\"channels\" must be a non-empty array of names");
            }
            for (JsonValue v : list) {
                channels.add(ChannelName.require(string(v, "channels")));
            }
        }
        if (channels.isEmpty()) {
            throw ApiException.badRequest("missing_channel", "Each item needs \"channel\" or \"channels\"");
        }
        return List.copyOf(channels);
    }

    private static EventDraft draft(JsonObject o, List<String> channels, String targetClient) {
        if (!o.containsKey("data")) {
            throw ApiException.badRequest("missing_data", "The event needs a \"data\" member");
        }
        JsonValue data = o.get("data");
        if (data instanceof JsonString s && s.getString().isEmpty()) {
            throw ApiException.badRequest("empty_data", "Empty data is never dispatched by browsers; send content");
        }
        String event = o.containsKey("event") && o.get("event") != JsonValue.NULL
                ? EventNames.require(string(o.get("event"), "event")) : null;
        Integer retry = null;
        if (o.containsKey("retry") && o.get("retry") != JsonValue.NULL) {
            if (!(o.get("retry") instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < 0
                    || n.longValue() > MAX_RETRY_MS) {
                throw ApiException.badRequest("invalid_retry", "\"retry\" must be whole milliseconds, 0 to "
                        + MAX_RETRY_MS);
            }
            retry = n.intValue();
        }
        boolean privateEvent = false;
        if (o.containsKey("private")) {
            JsonValue p = o.get("private");
            if (p != JsonValue.TRUE && p != JsonValue.FALSE) {
                throw ApiException.badRequest("invalid_private", "\"private\" must be true or false");
            }
            privateEvent = p == JsonValue.TRUE;
        }
        String permission = null;
        if (o.containsKey("permission") && o.get("permission") != JsonValue.NULL) {
            permission = string(o.get("permission"), "permission");
            if (permission.isBlank() || permission.length() > 128) {
                throw ApiException.badRequest("invalid_permission", "\"permission\" must be a name of 1 to 128 characters");
            }
        }
        return new EventDraft(channels, event, data, retry, new Audience(privateEvent, permission), targetClient);
    }

    private static JsonObject requireObject(JsonValue v, String message) {
        if (!(v instanceof JsonObject o)) {
            throw ApiException.badRequest("invalid_body", message);
        }
        return o;
    }

    private static String string(JsonValue v, String member) {
        if (!(v instanceof JsonString s)) {
            throw ApiException.badRequest("invalid_" + member, "\"" + member + "\" must be a string");
        }
        return s.getString();
    }
}
