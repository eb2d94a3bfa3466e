package io.herald.history;

import java.util.Arrays;

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
            long[] grown = new long[seqs.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            seqs = grown;
            start = 0;
        }
        seqs[(start + size) & (seqs.length - 1)] = seq;
        size++;
    }

    void removeFirst() {
        start = (start + 1) & (seqs.length - 1);
        size--;
        if (size > 16 && size * 4 <= seqs.length) {
            shrink();
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

    /** A channel that was busy and went quiet gives back most of its array. */
    private void shrink() {
        long[] smaller = new long[seqs.length / 2];
        for (int i = 0; i < size; i++) {
            smaller[i] = get(i);
        }
        seqs = smaller;
        start = 0;
    }

    @Override
    public String toString() {
        long[] copy = new long[size];
        for (int i = 0; i < size; i++) {
            copy[i] = get(i);
        }
        return Arrays.toString(copy);
    }
}
