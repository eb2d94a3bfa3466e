package io.herald.history;

import io.herald.channel.ChannelPattern;
import io.herald.event.EventDraft;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBrokerTest {

    private static EventDraft draft(int n) {
        return EventDraft.of("c", null, Json.createValue(n));
    }

    @Test
    void replaysAfterAnIdAndResetsOutsideTheHistory() {
        MemoryBroker broker = new MemoryBroker(3, 0);
        List<String> dispatched = new ArrayList<>();
        broker.start(e -> {
            dispatched.add(e.id().text());
            return 0;
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(broker.append(draft(i)).toCompletableFuture().join().event().id().text());
        }
        assertEquals(ids, dispatched, "dispatched in log order");
        Replay r = broker.readAfter(ids.get(2));
        assertFalse(r.isReset());
        assertEquals(ids.subList(3, 5), r.events().stream().map(e -> e.id().text()).toList());
        assertEquals(ids.get(4), r.upTo().text());
        assertFalse(broker.readAfter(ids.get(1)).isReset(), "the id just before the oldest retained resumes");
        Replay old = broker.readAfter(ids.get(0));
        assertTrue(old.isReset());
        assertEquals("expired", old.reset().reason());
        assertEquals(ids.get(4), old.reset().resumeFrom().text());
        assertEquals("unknown-id", broker.readAfter("zz-1").reset().reason());
        assertEquals("unknown-id", new MemoryBroker(3, 0).readAfter(ids.get(4)).reset().reason(),
                "another epoch does not know the id");
    }

    @Test
    void maxAgeExpiresOldEvents() throws Exception {
        MemoryBroker broker = new MemoryBroker(100, 50);
        String first = broker.append(draft(1)).toCompletableFuture().join().event().id().text();
        String second = broker.append(draft(2)).toCompletableFuture().join().event().id().text();
        assertFalse(broker.readAfter(first).isReset());
        Thread.sleep(120);
        String third = broker.append(draft(3)).toCompletableFuture().join().event().id().text();
        assertTrue(broker.readAfter(first).isReset(), "event 2 is older than max age: a gap");
        Replay r = broker.readAfter(second);
        assertFalse(r.isReset(), "everything after event 2 is still retained");
        assertEquals(List.of(third), r.events().stream().map(e -> e.id().text()).toList());
    }

    @Test
    void anIdFromBeforeARestartResetsToTheStartAndReplaysEverythingSince() {
        String beforeRestart = new MemoryBroker(10, 0).append(draft(0)).toCompletableFuture().join().event().id().text();
        MemoryBroker restarted = new MemoryBroker(10, 0);
        List<String> since = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            since.add(restarted.append(draft(i)).toCompletableFuture().join().event().id().text());
        }
        Replay r = restarted.readAfter(beforeRestart);
        assertTrue(r.isReset(), "the client must reload its state");
        assertEquals("unknown-id", r.reset().reason());
        assertEquals(since, r.events().stream().map(e -> e.id().text()).toList(), "nothing since the restart is lost");
        assertFalse(restarted.readAfter(r.reset().resumeFrom().text()).isReset(), "the resume position resumes");

        MemoryBroker overflowed = new MemoryBroker(2, 0);
        for (int i = 1; i <= 3; i++) {
            overflowed.append(draft(i));
        }
        Replay gap = overflowed.readAfter(beforeRestart);
        assertTrue(gap.isReset());
        assertTrue(gap.events().isEmpty(), "the start is no longer retained: reset to the head, as before");
        assertTrue(restarted.readAfter("zz-1").events().isEmpty(), "a malformed id gets no backlog");
    }

    @Test
    void aReadByChannelsEqualsTheFullLogFilteredToThoseChannels() {
        // a small ring, so the channel index also has to forget evicted events; several channels per event
        MemoryBroker broker = new MemoryBroker(50, 0);
        java.util.Random random = new java.util.Random(42);
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<String> on = new ArrayList<>();
            for (String name : names) {
                if (random.nextInt(4) == 0) {
                    on.add(name);
                }
            }
            if (on.isEmpty()) {
                on.add(names.get(random.nextInt(names.size())));
            }
            EventDraft d = new EventDraft(on, null, Json.createValue(i), null, io.herald.event.Audience.EVERYONE, null);
            ids.add(broker.append(d).toCompletableFuture().join().event().id().text());
            if (i % 7 == 0) {
                for (int from = Math.max(0, ids.size() - 55); from < ids.size(); from += 3) {
                    java.util.Set<String> wanted = new java.util.HashSet<>(List.of(names.get(random.nextInt(6)), names.get(random.nextInt(6))));
                    Replay all = broker.readAfter(ids.get(from));
                    Replay some = broker.readAfter(ids.get(from), wanted);
                    assertEquals(all.isReset(), some.isReset());
                    assertEquals(all.upTo(), some.upTo());
                    List<String> expected = all.events().stream()
                            .filter(e -> e.channels().stream().anyMatch(wanted::contains))
                            .map(e -> e.id().text()).toList();
                    assertEquals(expected, some.events().stream().map(e -> e.id().text()).toList(),
                            "after " + ids.get(from) + " on " + wanted + ": in log order, each event once");
                }
            }
        }
        assertEquals(List.of(), broker.readAfter(ids.get(399), java.util.Set.of("a")).events(), "nothing after the head");
        assertEquals(List.of(), broker.readAfter(ids.get(390), java.util.Set.of("nobody")).events(),
                "a channel with no events reads nothing");
    }

    @Test
    void aReadByFirstSegmentEqualsTheFullLogFilteredToThatSegment() {
        // what a wildcard subscriber such as stock.* resumes with: every event under stock., on a small ring
        MemoryBroker broker = new MemoryBroker(40, 0);
        java.util.Random random = new java.util.Random(3);
        List<String> names = List.of("stock.a", "stock.b.x", "stock", "fx.eur", "fx.usd.spot", "news");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<String> on = new ArrayList<>(List.of(names.get(random.nextInt(names.size()))));
            if (random.nextInt(3) == 0) {
                on.add(names.get(random.nextInt(names.size())));
            }
            EventDraft d = new EventDraft(on.stream().distinct().toList(), null, Json.createValue(i), null,
                    io.herald.event.Audience.EVERYONE, null);
            ids.add(broker.append(d).toCompletableFuture().join().event().id().text());
            if (i % 5 == 0) {
                for (int from = Math.max(0, ids.size() - 45); from < ids.size(); from += 4) {
                    java.util.Set<String> keys = java.util.Set.of("stock.**", "fx.**", "news");
                    Replay all = broker.readAfter(ids.get(from));
                    Replay some = broker.readAfter(ids.get(from), keys);
                    assertEquals(all.isReset(), some.isReset());
                    assertEquals(all.upTo(), some.upTo());
                    List<String> expected = all.events().stream()
                            .filter(e -> e.channels().stream().anyMatch(c -> c.startsWith("stock.")
                                    || c.startsWith("fx.") || c.equals("news")))
                            .map(e -> e.id().text()).toList();
                    assertEquals(expected, some.events().stream().map(e -> e.id().text()).toList(),
                            "after " + ids.get(from) + ": in log order, each event once");
                    assertTrue(some.events().stream().noneMatch(e -> e.channels().equals(List.of("stock"))),
                            "stock itself is not under stock.**");
                }
            }
        }
    }

    @Test
    void aPatternReplaysFromItsFirstLiteralSegment() {
        assertEquals("stock.AAPL", ChannelPattern.parse("stock.AAPL").replayKey());
        assertEquals("stock.**", ChannelPattern.parse("stock.*").replayKey());
        assertEquals("stock.**", ChannelPattern.parse("stock.*.bid").replayKey());
        assertEquals("stock.**", ChannelPattern.parse("stock.**").replayKey());
        assertEquals("#1.AAPL", ChannelPattern.parse("*.AAPL").replayKey());
        assertEquals("#1.AAPL", ChannelPattern.parse("*.AAPL.**").replayKey());
        assertEquals("#2.bid", ChannelPattern.parse("*.*.bid").replayKey());
        assertEquals("#3.x", ChannelPattern.parse("*.*.*.x").replayKey());
        assertEquals(null, ChannelPattern.parse("*.*.*.*.x").replayKey(), "past the indexed segments");
        assertEquals(null, ChannelPattern.parse("**").replayKey());
        assertEquals(null, ChannelPattern.parse("*.**").replayKey());
        assertEquals(null, ChannelPattern.parse("*").replayKey());
    }

    @Test
    void aWildcardPatternsReplayThroughItsKeyEqualsTheFullLogFilteredByThePattern() {
        // what a reconnecting subscriber on *.AAPL, *.*.bid or a.*.c resumes with, on a small ring that wraps
        MemoryBroker broker = new MemoryBroker(50, 0);
        java.util.Random random = new java.util.Random(7);
        List<String> segments = List.of("a", "b", "c", "AAPL", "bid");
        List<ChannelPattern> patterns = java.util.stream.Stream.of("*.AAPL", "*.*.bid", "*.a.**", "a.*.c", "*.b.*",
                "*.*.*.c", "*.*.*.*.AAPL", "**", "*.*", "b").map(ChannelPattern::parse).toList();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<String> on = new ArrayList<>();
            for (int c = 0; c <= random.nextInt(2); c++) {
                StringBuilder name = new StringBuilder(segments.get(random.nextInt(segments.size())));
                for (int k = random.nextInt(5); k > 0; k--) {
                    name.append('.').append(segments.get(random.nextInt(segments.size())));
                }
                on.add(name.toString());
            }
            EventDraft d = new EventDraft(on.stream().distinct().toList(), null, Json.createValue(i), null,
                    io.herald.event.Audience.EVERYONE, null);
            ids.add(broker.append(d).toCompletableFuture().join().event().id().text());
            if (i % 7 != 0) {
                continue;
            }
            for (int from = Math.max(0, ids.size() - 55); from < ids.size(); from += 6) {
                Replay all = broker.readAfter(ids.get(from));
                for (ChannelPattern pattern : patterns) {
                    String key = pattern.replayKey();
                    Replay read = broker.readAfter(ids.get(from), key == null ? null : java.util.Set.of(key));
                    assertEquals(all.isReset(), read.isReset());
                    assertEquals(all.upTo(), read.upTo());
                    List<String> expected = all.events().stream()
                            .filter(e -> e.channels().stream().anyMatch(pattern::matches))
                            .map(e -> e.id().text()).toList();
                    List<String> got = read.events().stream()
                            .filter(e -> e.channels().stream().anyMatch(pattern::matches))
                            .map(e -> e.id().text()).toList();
                    assertEquals(expected, got, pattern + " after " + ids.get(from));
                    if (key != null && !all.isReset() && all.events().size() > 20) {
                        assertTrue(read.events().size() < all.events().size(),
                                pattern + " reads through its key, not the whole log");
                    }
                }
            }
        }
    }
}
