package io.herald.api;

import jakarta.json.JsonException;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a request body as JSON within a size limit: 413 when over it, 400 when it is not JSON. */
public final class JsonBody {

    private JsonBody() {
    }

    /** Reads a JSON body after checking its content type: {@code application/json}, any {@code +json}, or none. */
    public static JsonValue read(String contentType, InputStream in, long maxBytes) {
        requireJson(contentType);
        return read(in, maxBytes);
    }

    /** 415 unless the content type is {@code application/json}, any {@code +json}, or none. */
    public static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new ApiException(415, "unsupported_media_type",
                    "Send the body as application/json, not " + type);
        }
    }

    public static JsonValue read(InputStream in, long maxBytes) {
        String text = readText(in, maxBytes);
        if (text.isBlank()) {
            throw ApiException.badRequest("invalid_json", "The request body is empty; send a JSON document");
        }
        try (var reader = Jsons.JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonParsingException e) {
            throw ApiException.badRequest("invalid_json", "Malformed JSON at line "
                    + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber());
        } catch (JsonException | IllegalStateException e) {
            throw ApiException.badRequest("invalid_json", "Malformed JSON");
        }
    }

    /**
     * The body as UTF-8 text, read straight into one array sized from what the stream already holds, grown only when
     * more comes (an 8 KiB body used to cost about 40 KiB here, through a growing byte stream, a copy buffer and
     * the stream's copy; now its bytes and its text); 413 past {@code maxBytes}.
     */
    public static String readText(InputStream in, long maxBytes) {
        if (in == null) {
            return "";
        }
        long cap = Math.min(maxBytes + 1, Integer.MAX_VALUE - 16); // a byte over the limit tells that it is over
        byte[] buf = new byte[(int) Math.max(1, Math.min(initialSize(in), cap))];
        int len = 0;
        try {
            while (true) {
                if (len == buf.length) {
                    if (len >= cap) { // only with a limit near 2 GiB: nothing larger fits in an array
                        throw tooLarge(maxBytes);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    return new String(buf, 0, len, StandardCharsets.UTF_8);
                }
                len += n;
                if (len > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            }
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "The request body could not be read");
        }
    }

    private static final int INITIAL = 8192;

    /**
     * What the stream already holds, plus one byte to see its end without growing (a body usually arrives whole
     * with its headers); {@link #INITIAL} when it does not say.
     */
    private static long initialSize(InputStream in) {
        try {
            int ready = in.available();
            return ready > 0 ? ready + 1L : INITIAL;
        } catch (IOException e) {
            return INITIAL;
        }
    }

    /** The 413 for a body over {@code maxBytes}. */
    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "payload_too_large", "The request body is over the limit of " + maxBytes + " bytes");
    }

    static boolean isStructure(JsonValue v) {
        return v instanceof JsonStructure;
    }
}
