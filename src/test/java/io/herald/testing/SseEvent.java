package io.herald.testing;

/** One dispatched event as a browser would see it (plus the fields browsers hide). */
public record SseEvent(String id, String event, String data, Long retry) {

    public String type() {
        return event == null ? "message" : event;
    }
}
