package io.herald.api;

/** Checks request content types the same way on every JAX-RS runtime. */
public final class MediaTypes {

    private MediaTypes() {
    }

    /** Accepts {@code application/json}, any {@code +json} type, or no content type at all; otherwise 415. */
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
}
