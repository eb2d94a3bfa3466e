package io.herald.delivery;

import java.util.Arrays;

/** A growable FIFO of longs beside a connection's frame queue: when each queued frame's event was published. */
final class PublishStamps {

    private long[] ring = new long[16];
    private int head;
    private int size;

    void add(long value) {
        if (size == ring.length) {
            long[] bigger = new long[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) % ring.length];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) % ring.length] = value;
        size++;
    }

    /** The oldest value, or 0 when empty. */
    long poll() {
        if (size == 0) {
            return 0;
        }
        long value = ring[head];
        head = (head + 1) % ring.length;
        size--;
        return value;
    }

    void clear() {
        Arrays.fill(ring, 0);
        head = 0;
        size = 0;
    }
}
