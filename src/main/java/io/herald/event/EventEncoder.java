package io.herald.event;

import java.nio.charset.StandardCharsets;

/** Writes the WHATWG event-stream format: one {@code data:} line per line of data, CR, LF and CRLF all splitting. */
public final class EventEncoder {

    private EventEncoder() {
    }

    private static final byte[] DATA_FIELD = "data: ".getBytes(StandardCharsets.US_ASCII);

    public static byte[] event(String id, String type, Integer retry, String data) {
        StringBuilder out = new StringBuilder(data.length() + 64).append(head(id, type, retry));
        appendData(out, data);
        out.append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The fields before the data: {@code retry:}, {@code id:} and {@code event:}, each when given. */
    public static String head(String id, String type, Integer retry) {
        StringBuilder out = new StringBuilder(64);
        if (retry != null) {
            out.append("retry: ").append(retry).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(requireSingleLine(id)).append('\n');
        }
        if (type != null) {
            out.append("event: ").append(requireSingleLine(type)).append('\n');
        }
        return out.toString();
    }

    /** A frame of one {@code data:} line: {@code head}, the field's name, {@code line} (no CR or LF), a blank line. */
    public static byte[] frame(byte[] head, byte[] line) {
        byte[] frame = new byte[head.length + DATA_FIELD.length + line.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(DATA_FIELD, 0, frame, head.length, DATA_FIELD.length);
        System.arraycopy(line, 0, frame, head.length + DATA_FIELD.length, line.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** Where the data starts in a {@link #frame} made with this head. */
    public static int dataOffset(byte[] head) {
        return head.length + DATA_FIELD.length;
    }

    /**
     * JSON text on one line. Compact JSON has no line breaks; in any JSON text a raw CR or LF can only be whitespace
     * between tokens (inside strings they are escaped), so turning them into spaces keeps the value.
     */
    public static String singleLine(String json) {
        return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\r', ' ').replace('\n', ' ');
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
