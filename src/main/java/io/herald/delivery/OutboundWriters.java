package io.herald.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of writer threads; each connection belongs to one. A writer drains every connection that has
 * frames waiting, writing without blocking, so a stalled socket never holds a writer.
 */
final class OutboundWriters {

    private final Shard[] shards;
    private volatile boolean running = true;

    OutboundWriters(int count, ThreadFactory factory) {
        shards = new Shard[Math.max(1, count)];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard();
            Thread t = factory.newThread(shards[i]);
            shards[i].thread = t;
            t.start();
        }
    }

    int shardCount() {
        return shards.length;
    }

    void schedule(Connection connection) {
        shards[connection.shard % shards.length].add(connection, true);
    }

    /** Queues a connection without waking its writer; {@link #wakeAll()} follows at the end of a fan-out. */
    void scheduleQuietly(Connection connection) {
        shards[connection.shard % shards.length].add(connection, false);
    }

    void wakeAll() {
        for (Shard shard : shards) {
            shard.wake();
        }
    }

    void stop() {
        running = false;
        for (Shard shard : shards) {
            LockSupport.unpark(shard.thread);
        }
    }

    private final class Shard implements Runnable {
        private List<Connection> pending = new ArrayList<>();
        private List<Connection> working = new ArrayList<>();
        private volatile boolean parked;
        volatile Thread thread;

        void add(Connection connection, boolean wake) {
            synchronized (this) {
                pending.add(connection);
            }
            if (wake) {
                wake();
            }
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (running) {
                synchronized (this) {
                    List<Connection> swap = working;
                    working = pending;
                    pending = swap;
                }
                if (working.isEmpty()) {
                    parked = true;
                    boolean empty;
                    synchronized (this) {
                        empty = pending.isEmpty();
                    }
                    if (empty && running) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    continue;
                }
                for (Connection c : working) {
                    c.drain();
                }
                working.clear();
            }
        }
    }
}
