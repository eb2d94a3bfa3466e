package io.herald.redis;

import io.herald.event.Audience;
import io.herald.event.EventDraft;
import io.herald.event.HubEvent;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A draft survives the trip into a stream entry and back, and stream ids order as events. */
class StreamEntriesTest {

    @Test
    void everyFieldOfADraftRoundTrips() {
        EventDraft draft = new EventDraft(List.of("orders.eu", "orders.all"), "created",
                Json.createObjectBuilder().add("text", "Zürich ✓\nline").add("n", 12.5).build(), 9000,
                new Audience(true, "orders:read"), null);
        Map<String, String> fields = StreamEntries.encode(draft, "node:1");
        HubEvent event = StreamEntries.decode("1700000000123-7", fields);
        assertEquals(draft, event.draft());
        assertEquals(1700000000123L, event.id().major());
        assertEquals(7, event.id().minor());
        assertEquals(1700000000123L, event.publishedAtMillis());
        assertArrayEquals(new HubEvent(event.id(), draft, 0).frame(), event.frame());
    }

    @Test
    void aStringPayloadAndATargetedSendRoundTrip() {
        EventDraft draft = new EventDraft(List.of(), null, Json.createValue("just text"), null, null, "client-1");
        HubEvent event = StreamEntries.decode("5-0", StreamEntries.encode(draft, null));
        assertEquals("client-1", event.targetClient());
        assertEquals(List.of(), event.channels());
        assertEquals(Json.createValue("just text"), event.data());
        assertNull(event.type());
    }

    @Test
    void streamIdsParseAndOrderNumerically() {
        assertEquals(-1, StreamEntries.parseId("9-5").compareTo(StreamEntries.parseId("10-0")));
        assertEquals(1, StreamEntries.parseId("10-10").compareTo(StreamEntries.parseId("10-9")));
        for (String bad : new String[]{"", "-", "1-", "-1", "a-b", "1-2-3", "epoch-5", "invalid"}) {
            assertNull(StreamEntries.parseId(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> StreamEntries.decode("1-0", Map.of("c", "x")));
    }
}
