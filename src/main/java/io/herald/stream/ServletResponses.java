package io.herald.stream;

import io.herald.api.Jsons;
import io.herald.event.EventEncoder;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Answers written straight to the servlet response, outside JAX-RS. */
final class ServletResponses {

    private ServletResponses() {
    }

    /** The event-stream headers; Herald sets no Connection or Transfer-Encoding (both forbidden over HTTP/2). */
    static void streamHeaders(HttpServletResponse w) {
        w.setStatus(200);
        w.setContentType("text/event-stream;charset=UTF-8");
        w.setHeader("Cache-Control", "no-cache, no-store");
        w.setHeader("X-Accel-Buffering", "no");
    }

    /**
     * A temporary refusal a browser will retry: 200, a {@code retry:} backoff and {@code event: unavailable}
     * naming the reason, then the end of the stream. (Any non-200 would make EventSource give up for good.)
     */
    static void unavailable(HttpServletResponse w, String reason, long retryMs) throws IOException {
        streamHeaders(w);
        String data = Jsons.JSON.createObjectBuilder().add("reason", reason).add("retryMs", retryMs).build().toString();
        var out = w.getOutputStream();
        out.write(EventEncoder.retry(retryMs));
        out.write(EventEncoder.event(null, "unavailable", null, data));
        out.flush();
    }
}
