package io.herald.history;

import io.herald.event.EventDraft;
import io.herald.event.EventId;

import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;

/**
 * The hub's single event log and its fan-out feed: in memory on one node, Redis across nodes.
 * Ids are assigned here, and every appended event is handed to the dispatcher in log order, one at a time.
 */
public interface EventBroker {

    /** Starts feeding events to {@code dispatcher}, which answers how many local subscribers got each one. */
    void start(ToIntFunction<io.herald.event.HubEvent> dispatcher);

    /** Appends an event to the log; completes once the log has accepted it. */
    CompletionStage<Appended> append(EventDraft draft);

    /** The retained events after {@code lastEventId}, or a reset when that id cannot be resumed from. */
    Replay readAfter(String lastEventId);

    /**
     * As {@link #readAfter(String)}, for a reader that wants only the events under {@code keys} (null: all): channel
     * names, or {@code first.**} for every channel under a first segment ({@code ChannelPattern.replayKey()}).
     * A broker may return events on other channels too (callers filter each event anyway), never fewer.
     */
    default Replay readAfter(String lastEventId, java.util.Set<String> keys) {
        return readAfter(lastEventId);
    }

    /** The id of the newest event, or the log's start position when it is empty. */
    EventId head();

    void stop();

    /** An appended event and the number of subscribers on this node it reached. */
    record Appended(io.herald.event.HubEvent event, int subscribers) {
    }
}
