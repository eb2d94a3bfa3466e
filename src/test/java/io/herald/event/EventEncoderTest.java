package io.herald.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventEncoderTest {

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void splitsDataOnEveryLineEnding() {
        assertEquals("id: 1\nevent: t\ndata: a\ndata: b\ndata: c\ndata: \ndata: d\n\n",
                s(EventEncoder.event("1", "t", null, "a\nb\r\nc\r\rd")));
        assertEquals("data: \n\n", s(EventEncoder.event(null, null, null, "")));
        assertEquals("retry: 5\ndata: x\n\n", s(EventEncoder.event(null, null, 5, "x")));
    }

    @Test
    void jsonTextWithLineBreaksBecomesOneLineWithTheSameValue() {
        assertEquals("{ \"a\":  [1, \"x\\ny\"]}", EventEncoder.singleLine("{\n\"a\":\r\n[1, \"x\\ny\"]}"));
        assertEquals("{\"a\":1}", EventEncoder.singleLine("{\"a\":1}"));
    }

    @Test
    void refusesLineBreaksInNamesAndIds() {
        assertThrows(IllegalArgumentException.class, () -> EventEncoder.event("1\n", null, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> EventEncoder.event("1", "a\rb", null, "x"));
        assertThrows(IllegalArgumentException.class, () -> EventEncoder.event("1", "a\0b", null, "x"));
    }

    @Test
    void commentsAreOneLineEach() {
        assertEquals(": a\n: b\n\n", s(EventEncoder.comment("a\nb")));
    }
}
