package io.herald.history;

/**
 * One channel's retained sequence numbers, ascending: appended at the end, dropped from the front as the ring
 * forgets events. A circular {@code long[]} that grows by doubling; not thread-safe (the broker's lock guards it).
 */
final class SeqList {

    private long[] seqs = new long[4];
    private int start;
    private int size;

    int size() {
        return size;
    }

    long get(int i) {
        return seqs[(start + i) & (seqs.length - 1)];
    }

    void add(long seq) {
        if (size == seqs.length) {
            resize(seqs.length * 2);
        }
        seqs[(start + size) & (seqs.length - 1)] = seq;
        size++;
    }

    void removeFirst() {
        start = (start + 1) & (seqs.length - 1);
        size--;
        if (size > 16 && size * 4 <= seqs.length) {
            resize(seqs.length / 2); // a channel that was busy and went quiet gives back most of its array
        }
    }

    /** The index of the first sequence number above {@code after}; {@link #size()} when there is none. */
    int firstAfter(long after) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid) <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Moves the sequence numbers, oldest first, into a new array of {@code capacity} (a power of two). */
    private void resize(int capacity) {
        long[] moved = new long[capacity];
        for (int i = 0; i < size; i++) {
            moved[i] = get(i);
        }
        seqs = moved;
        start = 0;
    }
}
