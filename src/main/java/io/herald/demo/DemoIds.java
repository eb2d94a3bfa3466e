package io.herald.demo;

import io.herald.api.ApiException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.regex.Pattern;

/** Reading the demo endpoints' request bodies: client-chosen ids (one channel segment) and bounded numbers. */
final class DemoIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private DemoIds() {
    }

    static JsonObject object(JsonValue body) {
        if (!(body instanceof JsonObject o)) {
            throw ApiException.badRequest("invalid_body", "Send a JSON object");
        }
        return o;
    }

    /** The id the page chose, or a new one when it sent none. */
    static String id(JsonObject body, String key) {
        JsonValue v = body.get(key);
        if (v == null || v == JsonValue.NULL) {
            return Long.toString(System.nanoTime() & 0xffffffffffL, 36);
        }
        if (!(v instanceof JsonString s) || !ID.matcher(s.getString()).matches()) {
            throw ApiException.badRequest("invalid_id", "'" + key + "' must match [A-Za-z0-9_-]{1,64}");
        }
        return s.getString();
    }

    static int bounded(JsonObject body, String key, int fallback, int min, int max) {
        JsonValue v = body.get(key);
        if (v == null || v == JsonValue.NULL) {
            return fallback;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < min || n.longValue() > max) {
            throw ApiException.badRequest("invalid_" + key, "'" + key + "' must be an integer from " + min
                    + " to " + max);
        }
        return n.intValue();
    }
}
