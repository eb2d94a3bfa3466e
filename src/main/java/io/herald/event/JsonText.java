package io.herald.event;

import io.herald.api.Jsons;

/** JSON text written by hand around an event's {@link HubEvent#dataJson() data}, which goes in as it is. */
public final class JsonText {

    private JsonText() {
    }

    /** A JSON string literal, escaped as the JSON-P provider escapes it. */
    public static String quote(String text) {
        return Jsons.JSON.createValue(text).toString();
    }

    /** Appends {@code "name":"value"} (without a separator). */
    public static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append('"').append(name).append("\":").append(quote(value));
    }
}
