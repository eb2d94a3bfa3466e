package io.herald.event;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;

/** Writes the WHATWG event-stream format: one {@code data:} line per line of data, CR, LF and CRLF all splitting. */
public final class EventEncoder {

    private EventEncoder() {
    }

    /** The text that goes on the wire for a payload: a JSON string as its own text, anything else as compact JSON. */
    public static String wireText(JsonValue data) {
        return data instanceof JsonString s ? s.getString() : data.toString();
    }

    public static byte[] event(String id, String type, Integer retry, String data) {
        StringBuilder out = new StringBuilder(data.length() + 64);
        if (retry != null) {
            out.append("retry: ").append(retry).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(requireSingleLine(id)).append('\n');
        }
        if (type != null) {
            out.append("event: ").append(requireSingleLine(type)).append('\n');
        }
        appendData(out, data);
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] retry(long ms) {
        return ("retry: " + ms + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] comment(String text) {
        StringBuilder out = new StringBuilder();
        forEachLine(text, line -> out.append(": ").append(line).append('\n'));
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void appendData(StringBuilder out, String data) {
        forEachLine(data, line -> out.append("data: ").append(line).append('\n'));
    }

    private static void forEachLine(String text, java.util.function.Consumer<CharSequence> line) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                line.accept(text.subSequence(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        line.accept(text.subSequence(start, n));
    }

    private static String requireSingleLine(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("An event name or id may not contain CR, LF or NUL");
            }
        }
        return field;
    }
}
