package io.herald.api;

import jakarta.json.JsonException;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** Reads a request body as JSON within a size limit: 413 when over it, 400 when it is not JSON. */
public final class JsonBody {

    private JsonBody() {
    }

    /** Reads a JSON body after checking its content type: {@code application/json}, any {@code +json}, or none. */
    public static JsonValue read(String contentType, InputStream in, long maxBytes) {
        requireJson(contentType);
        return read(in, maxBytes);
    }

    static void requireJson(String contentType) {
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

    public static String readText(InputStream in, long maxBytes) {
        if (in == null) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException(413, "payload_too_large",
                            "The request body is over the limit of " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable_body", "The request body could not be read");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static boolean isStructure(JsonValue v) {
        return v instanceof JsonStructure;
    }
}
