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

    /**
     * Every target is sent the same payload, its channel first: the load generator looks for the channel only within
     * an event's first {@link LoadGen#CHANNEL_WITHIN} bytes, so an 8 KiB payload is not scanned to its end per event.
     */
    @Test
    void everyTargetPublishesTheSamePayloadWithItsChannelFirst() {
        String pad = "x".repeat(8192);
        String data = "{\"channel\":\"ch3\",\"seq\":1,\"t\":0,\"pad\":\"" + pad + "\"}";
        for (String kind : new String[] {"herald", "nchan", "plain"}) {
            String sent = new String(Target.of(kind, "http://127.0.0.1:1").publishRequest(3, 1, 0, pad),
                    StandardCharsets.US_ASCII);
            String body = sent.substring(sent.indexOf("\r\n\r\n") + 4);
            assertEquals(kind.equals("herald") ? "{\"event\":\"tick\",\"data\":" + data + "}" : data, body, kind);
        }
        byte[] event = data.getBytes(StandardCharsets.US_ASCII);
        assertEquals(3, LoadGen.findChannel(event, event.length));
        byte[] late = ("{\"seq\":1,\"pad\":\"" + pad + "\",\"channel\":\"ch3\"}").getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, LoadGen.findChannel(late, late.length), "searched past the start");
    }

    private static String request(Target t, int channel) {
        return new String(t.publishRequest(channel, 1, 0, null), StandardCharsets.US_ASCII);
    }
}
