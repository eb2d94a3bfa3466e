package io.herald.event;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An event's frame is its payload's one copy: the frame's bytes, and the payload read back from it, are exact. */
class HubEventTest {

    private static final EventId ID = new EventId("e-7", 7, 0);

    private static HubEvent event(String type, Integer retry, JsonValue data) {
        return new HubEvent(ID, new EventDraft(List.of("a"), type, data, retry, null, null), 0);
    }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void anObjectGoesOnTheWireAsCompactJsonAndReadsBackFromTheFrame() {
        JsonValue data = json("{ \"t\" : \"Zürich ✓\\nnext\", \"n\" : [1, 2.5, true, null] }");
        HubEvent e = event("prix-€", 3000, data);
        assertEquals("retry: 3000\nid: e-7\nevent: prix-€\ndata: {\"t\":\"Zürich ✓\\nnext\",\"n\":[1,2.5,true,null]}\n\n",
                s(e.frame()));
        assertEquals("{\"t\":\"Zürich ✓\\nnext\",\"n\":[1,2.5,true,null]}", e.dataJson());
        assertEquals(data, e.data());
        assertEquals(new EventDraft(List.of("a"), "prix-€", data, 3000, null, null), e.draft());
    }

    @Test
    void numbersAndLiteralsAreTheirJsonText() {
        assertEquals("id: e-7\ndata: 42\n\n", s(event(null, null, Json.createValue(42)).frame()));
        assertEquals("true", event(null, null, JsonValue.TRUE).dataJson());
        assertEquals(JsonValue.NULL, event(null, null, JsonValue.NULL).data());
        assertEquals(Json.createValue(42), event(null, null, Json.createValue(42)).data());
    }

    @Test
    void aStringGoesOnTheWireAsItsTextSplitIntoLinesAndKeepsItsLineEndings() {
        HubEvent e = event("t", null, Json.createValue("a\r\nb \"q\" ✓"));
        assertEquals("id: e-7\nevent: t\ndata: a\ndata: b \"q\" ✓\n\n", s(e.frame()));
        assertEquals("\"a\\r\\nb \\\"q\\\" ✓\"", e.dataJson());
        assertEquals(Json.createValue("a\r\nb \"q\" ✓"), e.data());
    }

    @Test
    void theEnvelopeWrapsTheDataAsPublished() {
        HubEvent object = event("t", null, json("{\"x\":1}"));
        assertEquals("id: e-7\nevent: t\ndata: {\"channel\":\"room.\\\"1\\\"\",\"data\":{\"x\":1}}\n\n",
                s(object.envelopeFrame("room.\"1\"")));
        HubEvent text = event(null, null, Json.createValue("line1\nline2"));
        assertEquals("id: e-7\ndata: {\"channel\":\"a\",\"data\":\"line1\\nline2\"}\n\n", s(text.envelopeFrame("a")));
    }
}
