package io.herald.stream;

import io.herald.channel.Subscription;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Arrays;
import java.util.List;

/**
 * A parsed {@code GET /api/events} request: the subscription, the envelope flag and the resume position
 * ({@code Last-Event-ID} header, else the {@code lastEventId} query parameter).
 */
public record StreamRequest(Subscription subscription, boolean envelope, String lastEventId) {

    static final int MAX_ID_LENGTH = 256;

    public static StreamRequest parse(HttpServletRequest r, int maxChannels) {
        Subscription s = Subscription.parse(values(r, "channel"), values(r, "channels"), values(r, "event"),
                values(r, "events"), maxChannels);
        String envelope = r.getParameter("envelope");
        boolean wrap = "true".equalsIgnoreCase(envelope) || "1".equals(envelope);
        String last = r.getHeader("Last-Event-ID");
        if (last == null || last.isEmpty()) {
            last = r.getParameter("lastEventId");
        }
        if (last != null && (last.isEmpty() || last.length() > MAX_ID_LENGTH)) {
            last = last.isEmpty() ? null : "invalid";
        }
        return new StreamRequest(s, wrap, last);
    }

    private static List<String> values(HttpServletRequest r, String name) {
        String[] v = r.getParameterValues(name);
        return v == null ? List.of() : Arrays.asList(v);
    }

    /** Whether an {@code Accept-Encoding} header accepts gzip (not refused with {@code q=0}). */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            String name = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (name.equals("gzip") || name.equals("x-gzip") || name.equals("*")) {
                for (int i = 1; i < parts.length; i++) {
                    String q = parts[i].trim().replace(" ", "");
                    if (q.startsWith("q=") && q.substring(2).matches("0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** True unless the Accept header lists media types and none of them covers text/event-stream. */
    public static boolean acceptsEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.trim().split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (!type.equals("text/event-stream") && !type.equals("text/*") && !type.equals("*/*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().replace(" ", "");
                if (p.equals("q=0") || p.startsWith("q=0.0") && p.replace("0", "").replace(".", "").equals("q=")) {
                    refused = true;
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }
}
