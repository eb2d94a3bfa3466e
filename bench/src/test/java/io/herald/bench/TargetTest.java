package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests the load generator sends Herald, with plain channel names and with {@code --herald-group}. */
class TargetTest {

    @Test
    void plainNamesSubscribeAndPublishByName() {
        Target t = Target.of("herald", "http://127.0.0.1:18080");
        assertEquals("/api/events?channel=ch3", t.subscribePath(new int[] {3}));
        assertTrue(request(t, 3).startsWith("POST /api/channels/ch3/events HTTP/1.1\r\n"), request(t, 3));
    }

    @Test
    void aGroupPublishesUnderItAndSubscribesThroughAWildcardFirstPattern() throws Exception {
        Bench.Config c = Bench.parse(new String[] {"--target", "herald", "--url", "http://127.0.0.1:18080",
                "--herald-group", "g"});
        Target t = Bench.target(c);
        assertEquals("/api/events?channel=*.ch3", t.subscribePath(new int[] {3}));
        assertTrue(request(t, 3).startsWith("POST /api/channels/g.ch3/events HTTP/1.1\r\n"), request(t, 3));
    }

    @Test
    void aGroupNeedsHeraldAndOneChannelPerClient() throws Exception {
        Bench.Config nchan = Bench.parse(new String[] {"--target", "nchan", "--herald-group", "g"});
        assertThrows(IllegalArgumentException.class, () -> Bench.target(nchan));
        Bench.Config many = Bench.parse(new String[] {"--target", "herald", "--herald-group", "g", "--per-client", "2"});
        assertThrows(IllegalArgumentException.class, () -> Bench.target(many));
    }

    private static String request(Target t, int channel) {
        return new String(t.publishRequest(channel, 1, 0, null), StandardCharsets.US_ASCII);
    }
}
