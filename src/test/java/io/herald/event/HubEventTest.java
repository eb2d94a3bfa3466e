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

    /** What the frame of a structure was before it was written straight into its array: the value's text, encoded. */
    private static String viaString(JsonValue data) {
        return "id: e-7\ndata: " + new String(EventEncoder.singleLine(data.toString()).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8) + "\n\n";
    }

    @Test
    void aStructureIsWrittenIntoItsFrameAsItsTextEncodedWouldBe() {
        java.util.Random random = new java.util.Random(42);
        // a surrogate pair on either side of the writer's buffer boundaries, unpaired halves, controls, non-ASCII
        String[] pieces = {"a", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "\udc00", "\n", "\r", "\t", "\"", "\\", "\u0001",
                "\u2028", "x".repeat(4095), "\u00ff"};
        for (int round = 0; round < 300; round++) {
            var object = Json.createObjectBuilder();
            var array = Json.createArrayBuilder();
            int fields = random.nextInt(5);
            for (int f = 0; f <= fields; f++) {
                StringBuilder text = new StringBuilder();
                int n = random.nextInt(round % 10 == 0 ? 3000 : 40);
                for (int i = 0; i < n; i++) {
                    text.append(pieces[random.nextInt(pieces.length - 2)]);
                }
                if (random.nextInt(8) == 0) {
                    text.append(pieces[pieces.length - 2]).append(pieces[3]);
                }
                object.add("k" + f + pieces[random.nextInt(4)], text.toString());
                array.add(random.nextInt(3) == 0 ? Json.createValue(random.nextDouble()) : Json.createValue(text.toString()));
            }
            JsonValue data = Json.createObjectBuilder().add("o", object).add("a", array).add("b", true).build();
            HubEvent e = event(null, null, data);
            assertEquals(viaString(data), s(e.frame()), "round " + round);
            assertEquals(new String(EventEncoder.singleLine(data.toString()).getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8), e.dataJson(), "round " + round);
            JsonValue array1 = Json.createArrayBuilder().add(data).build();
            assertEquals(viaString(array1), s(event(null, null, array1).frame()));
        }
    }

    @Test
    void anAsciiPayloadIsSizedExactly() {
        JsonValue data = json("{\"seq\":12,\"t\":1.5e3,\"ok\":false,\"n\":null,\"pad\":\"" + "x".repeat(8192) + "\",\"a\":[true,-3]}");
        String text = EventEncoder.singleLine(data.toString());
        assertEquals(text.length(), DataLineWriter.estimate(data));
    }

    @Test
    void anEmptyObjectAndAnEmptyArrayHaveTheirFrames() {
        JsonValue empty = json("{}");
        assertEquals("id: e-7\ndata: {}\n\n", s(event(null, null, empty).frame()));
        assertEquals("id: e-7\ndata: []\n\n", s(event(null, null, json("[]")).frame()));
        assertEquals(empty, event(null, null, empty).data());
    }
}
