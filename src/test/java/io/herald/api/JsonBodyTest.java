package io.herald.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A body is read whole up to its limit, however the stream hands it over, and refused with 413 past it. */
class JsonBodyTest {

    /**
     * Hands out at most {@code chunk} bytes per read, as a network stream may, and says it holds what one read gives
     * (the reader sizes its array from that, and must grow it for the rest).
     */
    private static InputStream chunked(byte[] body, int chunk) {
        return stream(body, chunk, true);
    }

    /** The same, but it never says what it holds. */
    private static InputStream silent(byte[] body, int chunk) {
        return stream(body, chunk, false);
    }

    private static InputStream stream(byte[] body, int chunk, boolean saysAvailable) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }

            @Override
            public synchronized int available() {
                return saysAvailable ? Math.min(chunk, super.available()) : 0;
            }
        };
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @Test
    void bodiesOfEverySizeAroundTheBufferAreReadWhole() {
        for (int n : new int[] {0, 1, 100, 8191, 8192, 8193, 16384, 16385, 40000, 65536}) {
            for (int chunk : new int[] {1, 1000, 8192, 100000}) {
                if (chunk == 1 && n > 20000) {
                    continue;
                }
                byte[] b = body(n);
                assertEquals(new String(b, StandardCharsets.US_ASCII), JsonBody.readText(chunked(b, chunk), 65536),
                        n + " bytes in chunks of " + chunk);
                assertEquals(new String(b, StandardCharsets.US_ASCII), JsonBody.readText(silent(b, chunk), 65536),
                        n + " bytes in chunks of " + chunk + ", nothing said available");
            }
        }
    }

    @Test
    void oneByteOverTheLimitIs413AndTheLimitItselfIsRead() {
        for (int limit : new int[] {0, 1, 10, 8192, 8193, 65536}) {
            assertEquals(limit, JsonBody.readText(chunked(body(limit), 777), limit).length());
            ApiException e = assertThrows(ApiException.class, () -> JsonBody.readText(chunked(body(limit + 1), 777), limit));
            assertEquals(413, e.status());
            assertEquals(413, assertThrows(ApiException.class,
                    () -> JsonBody.readText(silent(body(limit + 5000), 100000), limit)).status());
        }
    }

    @Test
    void malformedUtf8IsDecodedAsAStringWouldBe() {
        byte[] b = {'"', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 'x', (byte) 0xE2, (byte) 0x82, '"'};
        byte[] big = Arrays.copyOf(b, 9000);
        Arrays.fill(big, b.length, big.length, (byte) ' ');
        big[8191] = (byte) 0xC3; // a character cut where the buffer first grows
        big[8192] = (byte) 0xA9;
        for (byte[] x : new byte[][] {b, big}) {
            assertEquals(new String(x, StandardCharsets.UTF_8), JsonBody.readText(chunked(x, 5000), 65536));
        }
    }

    @Test
    void aBlankBodyIsRefusedAsEmptyAndGarbageAsMalformed() {
        ApiException blank = assertThrows(ApiException.class,
                () -> JsonBody.read(new ByteArrayInputStream(" \r\n\t".getBytes(StandardCharsets.US_ASCII)), 100));
        assertEquals(400, blank.status());
        ApiException bad = assertThrows(ApiException.class,
                () -> JsonBody.read(new ByteArrayInputStream("{\"a\":".getBytes(StandardCharsets.US_ASCII)), 100));
        assertEquals(400, bad.status());
        assertEquals(Jsons.JSON.createValue(5), JsonBody.read(new ByteArrayInputStream("5".getBytes(StandardCharsets.US_ASCII)), 100));
    }
}
