package io.herald.delivery;

/**
 * How the heartbeat interval is cut into ticks of at most {@link #MAX_TICK_MS}: {@code count} slices, and a tick
 * every interval / count. Tick k beats the streams of slice k mod count, a stream's slice being its shard mod count,
 * so each stream still gets one heartbeat per interval while no tick writes to every stream at once.
 *
 * @param count      how many slices (1 for an interval of a second or less: every stream on every tick)
 * @param tickMicros the time between two ticks; count ticks make one interval
 */
record HeartbeatSlices(int count, long tickMicros) {

    static final long MAX_TICK_MS = 1000;

    static HeartbeatSlices of(long intervalMs) {
        int count = (int) Math.max(1, (intervalMs + MAX_TICK_MS - 1) / MAX_TICK_MS);
        return new HeartbeatSlices(count, intervalMs * 1000 / count);
    }

    /** The slice beaten on tick number {@code tick} (counted from 0). */
    int sliceAt(long tick) {
        return (int) Math.floorMod(tick, (long) count);
    }

    /** Whether the stream with this shard belongs to {@code slice} of {@code count}. */
    static boolean contains(int shard, int slice, int count) {
        return shard % count == slice;
    }
}
