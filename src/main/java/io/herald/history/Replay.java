package io.herald.history;

import io.herald.event.EventId;
import io.herald.event.HubEvent;

import java.util.List;

/**
 * What a client missed: the events after its id up to {@code upTo}, the log's head when read, or a reset
 * when its id is unknown or older than the retained history.
 */
public record Replay(List<HubEvent> events, EventId upTo, Reset reset) {

    /** The hub cannot resume the client: it must reload its state, then resume from {@code resumeFrom}. */
    public record Reset(String reason, EventId resumeFrom) {
    }

    public static Replay of(List<HubEvent> events, EventId upTo) {
        return new Replay(events, upTo, null);
    }

    public static Replay reset(String reason, EventId resumeFrom) {
        return new Replay(List.of(), resumeFrom, new Reset(reason, resumeFrom));
    }

    public boolean isReset() {
        return reset != null;
    }
}
