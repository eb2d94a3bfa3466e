package io.herald.event;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a frame of one {@code data:} line from a JSON value: the head, {@code data: }, the value's compact JSON text
 * as UTF-8, then a blank line. The text is the one Parsson's generator writes (the same escapes: {@code \"},
 * {@code \\}, {@code \b \f \n \r \t}, other controls as a backslash, {@code u} and four lowercase hex digits;
 * nothing else escaped; numbers as their {@code toString()}), with an unpaired surrogate as {@code ?}, as
 * {@link String#getBytes}. It is written straight to
 * bytes and never exists as a {@code String}: for an 8 KiB payload that saved a growing string buffer, its copy and
 * its bytes, about 40 KiB per publish, and writing it here instead of through Parsson's generator and a
 * {@code Writer} saved its escaping pass and char buffer (thirteenth round, docs/performance.md).
 */
final class DataLineWriter {

    private static final byte[] DATA_FIELD = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private byte[] buf;
    private int len;
    private final int dataStart;
    private char high; // a high surrogate waiting for its low half, or 0

    DataLineWriter(byte[] head, int expectedDataBytes) {
        buf = new byte[head.length + DATA_FIELD.length + Math.max(16, expectedDataBytes) + 2];
        System.arraycopy(head, 0, buf, 0, head.length);
        System.arraycopy(DATA_FIELD, 0, buf, head.length, DATA_FIELD.length);
        len = dataStart = head.length + DATA_FIELD.length;
    }

    /**
     * About how many bytes {@code value}'s compact JSON takes (exact for ASCII text with nothing to escape), so that
     * the frame's array is sized once.
     */
    static int estimate(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getChars().length() + 2; // the provider may hold a builder: getString() would copy it
        }
        if (value instanceof JsonObject o) {
            int n = 2 + Math.max(0, o.size() - 1);
            for (var e : o.entrySet()) {
                n += e.getKey().length() + 3 + estimate(e.getValue());
            }
            return n;
        }
        if (value instanceof JsonArray a) {
            int n = 2 + Math.max(0, a.size() - 1);
            for (JsonValue v : a) {
                n += estimate(v);
            }
            return n;
        }
        if (value instanceof JsonNumber number) {
            return number.toString().length();
        }
        return value == JsonValue.FALSE ? 5 : 4; // true, null
    }

    /** Where the data starts in the frame. */
    int dataStart() {
        return dataStart;
    }

    /** Appends {@code value}'s compact JSON text. */
    void json(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                ascii('{');
                boolean first = true;
                for (var e : ((JsonObject) value).entrySet()) {
                    if (!first) {
                        ascii(',');
                    }
                    first = false;
                    string(e.getKey());
                    ascii(':');
                    json(e.getValue());
                }
                ascii('}');
            }
            case ARRAY -> {
                ascii('[');
                boolean first = true;
                for (JsonValue v : (JsonArray) value) {
                    if (!first) {
                        ascii(',');
                    }
                    first = false;
                    json(v);
                }
                ascii(']');
            }
            case STRING -> string(((JsonString) value).getChars());
            default -> text(value.toString()); // a number, true, false, null
        }
    }

    /** A JSON string: ASCII that needs no escape is copied in this loop, the rest goes through {@link #put}. */
    private void string(CharSequence s) {
        ascii('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                if (c < 0x80 && high == 0 && len < buf.length) {
                    buf[len++] = (byte) c;
                } else {
                    put(c, n - i);
                }
            } else {
                escape(c, n - i);
            }
        }
        ascii('"');
    }

    private void escape(char c, int left) {
        put('\\', left + 5);
        switch (c) {
            case '"', '\\' -> put(c, left);
            case '\b' -> put('b', left);
            case '\f' -> put('f', left);
            case '\n' -> put('n', left);
            case '\r' -> put('r', left);
            case '\t' -> put('t', left);
            default -> {
                put('u', left);
                for (int shift = 12; shift >= 0; shift -= 4) {
                    put(HEX[(c >> shift) & 0xf], left);
                }
            }
        }
    }

    private void text(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            put(s.charAt(i), n - i);
        }
    }

    private void ascii(char c) {
        if (high == 0 && len < buf.length) {
            buf[len++] = (byte) c;
        } else {
            put(c, 1);
        }
    }

    /** The frame, exactly as long as it is (no copy when the array was sized right). */
    byte[] finish() {
        if (high != 0) {
            need(1, 3);
            buf[len++] = '?';
            high = 0;
        }
        need(2, 2);
        buf[len++] = '\n';
        buf[len++] = '\n';
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** Encodes {@code c}, with {@code left} chars (this one included) still to come in this write. */
    private void put(char c, int left) {
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                need(4, left);
                int cp = Character.toCodePoint(h, c);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
                return;
            }
            need(1, left);
            buf[len++] = '?';
        }
        if (c < 0x80) {
            need(1, left);
            buf[len++] = (byte) (c == '\r' || c == '\n' ? ' ' : c);
        } else if (c < 0x800) {
            need(2, left);
            buf[len++] = (byte) (0xC0 | (c >> 6));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            need(1, left);
            buf[len++] = '?';
        } else {
            need(3, left);
            buf[len++] = (byte) (0xE0 | (c >> 12));
            buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    /**
     * Room for {@code bytes} more; when the array must grow, it grows to twice its size, or by enough for the
     * {@code left} chars still to come at a byte each and the closing blank line.
     */
    private void need(int bytes, int left) {
        if (len + bytes > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + Math.max(bytes, left) + 4));
        }
    }

}
