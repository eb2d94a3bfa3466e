package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParserTest {
    private static List<String> parse(byte[] in, int split) {
        List<String> out = new ArrayList<>();
        SseParser p = new SseParser(new SseParser.Listener() {
            @Override public void onEvent(String type, String id, byte[] data, int len) {
                out.add(type + "|" + id + "|" + new String(data, 0, len, StandardCharsets.UTF_8));
            }
            @Override public void onRetry(long ms) { out.add("retry=" + ms); }
        });
        for (int i = 0; i < in.length; i += split) p.feed(in, i, Math.min(split, in.length - i));
        return out;
    }

    @Test
    void whatwgLineEndingsFieldsAndComments() {
        String s = "\uFEFFretry: 3000\r\n\r\n: comment\nevent: connected\rdata: {\"a\":1}\r\n\r\n"
                + "id: 7\nevent: tick\ndata:x\ndata: y\n\n"
                + "data\n\n"            // field with no colon: data = "" -> dispatched as empty
                + "event: heartbeat\n\n" // no data -> not dispatched
                + "retry: 12a\nid: a\u0000b\ndata: z\r\r";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("retry=3000", "connected|null|{\"a\":1}", "tick|7|x\ny", "message|7|", "message|7|z");
        for (int split = 1; split <= b.length; split++) assertEquals(expected, parse(b, split), "split " + split);
    }

    @Test
    void chunkedDecoding() {
        String body = "data: hello\n\n";
        String wire = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(6) + ";ext=1\r\n" + body.substring(0, 6) + "\r\n"
                + Integer.toHexString(body.length() - 6) + "\r\n" + body.substring(6) + "\r\n0\r\n\r\n";
        byte[] b = wire.getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split <= b.length; split++) {
            Http.Response r = new Http.Response();
            StringBuilder got = new StringBuilder();
            int i = 0;
            while (i < b.length && !r.bodyDone) {
                int n = Math.min(split, b.length - i);
                int used = 0;
                while (used < n && !r.bodyDone) used += r.feed(b, i + used, n - used, (x, o, l) -> got.append(new String(x, o, l, StandardCharsets.US_ASCII)));
                i += used;
            }
            assertEquals(200, r.status);
            assertTrue(r.chunked);
            assertTrue(r.bodyDone, "terminal chunk seen");
            assertEquals(body, got.toString(), "split " + split);
        }
    }
}
