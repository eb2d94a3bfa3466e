package io.herald.channel;

import io.herald.api.ApiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelPatternTest {

    @Test
    void namesFollowTheRule() {
        for (String ok : List.of("a", "a.b", "A-Z_0:9.x", "x".repeat(128))) {
            assertTrue(ChannelName.isValid(ok), ok);
        }
        for (String bad : List.of("", ".", "a.", ".a", "a..b", "a b", "a/b", "ä", "a*", "*", "x".repeat(129), "a\nb")) {
            assertFalse(ChannelName.isValid(bad), bad);
        }
    }

    @Test
    void wildcardsMatchSegments() {
        ChannelPattern one = ChannelPattern.parse("a.*");
        assertTrue(one.matches("a.b"));
        assertFalse(one.matches("a"));
        assertFalse(one.matches("a.b.c"));
        ChannelPattern many = ChannelPattern.parse("a.**");
        assertTrue(many.matches("a.b"));
        assertTrue(many.matches("a.b.c.d"));
        assertFalse(many.matches("a"));
        ChannelPattern middle = ChannelPattern.parse("*.b.*");
        assertTrue(middle.matches("x.b.y"));
        assertFalse(middle.matches("x.c.y"));
        assertTrue(ChannelPattern.parse("**").matches("anything.at.all"));
        assertThrows(ApiException.class, () -> ChannelPattern.parse("a.**.b"));
        assertThrows(ApiException.class, () -> ChannelPattern.parse("a.b*"));
    }

    @Test
    void trieAgreesWithPatternsAndForgetsRemovedOnes() {
        SegmentTrie<String> trie = new SegmentTrie<>();
        List<String> patterns = List.of("a", "a.b", "a.*", "a.**", "*.b", "**", "*.*.c", "x.y.z");
        for (String p : patterns) {
            trie.add(ChannelPattern.parse(p), p);
        }
        for (String channel : List.of("a", "a.b", "a.b.c", "x.b", "x.y.z", "q")) {
            List<String> hits = new ArrayList<>();
            trie.match(channel, hits::add);
            List<String> expected = patterns.stream().filter(p -> ChannelPattern.parse(p).matches(channel)).sorted().toList();
            assertEquals(expected, hits.stream().sorted().toList(), channel);
        }
        for (String p : patterns) {
            trie.remove(ChannelPattern.parse(p), p);
        }
        List<String> hits = new ArrayList<>();
        trie.match("a.b", hits::add);
        assertEquals(List.of(), hits);
    }
}
