package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;

/** Values in the coordinator-worker line protocol: histograms as base64 of HdrHistogram's compressed form, numbers as lists. */
final class Wire {
    private Wire() {}

    static String histogram(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(b.array(), n));
    }

    static Histogram histogram(String s) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad histogram on the worker pipe", e);
        }
    }

    static String longs(long[] v) { return Arrays.stream(v).mapToObj(Long::toString).collect(Collectors.joining(",")); }

    static String longs(List<Long> v) { return v.stream().map(Object::toString).collect(Collectors.joining(",")); }

    static long[] longs(String s) {
        return s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
