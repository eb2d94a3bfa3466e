package io.herald.delivery;

import io.herald.channel.ChannelPattern;
import io.herald.history.MemoryBroker;
import io.herald.presence.PresenceAnnouncer;
import io.herald.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats are spread over the interval: each tick beats one slice of the streams (shard mod slices), every stream
 * gets exactly one heartbeat per interval, and the probe that follows goes to the same slice. The ticks are driven
 * by hand on a real registry with real writer threads.
 */
class HeartbeatSlicingTest {

    private static final int STREAMS = 45;
    private static final Pattern TIME = Pattern.compile("\"time\":(\\d+)");

    private final ManualScheduler clock = new ManualScheduler();
    private final ManualExecutors executors = new ManualExecutors(clock);
    private final ChannelRegistry registry = new ChannelRegistry();
    private final HeartbeatScheduler heartbeats = new HeartbeatScheduler();
    private final List<Connection> streams = new ArrayList<>();
    private final List<RecordingOutbound> outs = new ArrayList<>();

    @BeforeEach
    void openStreams() {
        registry.broker = new MemoryBroker(16, 60_000);
        registry.stats = new HubStats();
        registry.executors = executors;
        registry.presence = new PresenceAnnouncer() {
            @Override
            public void joined(Connection c) {
            }

            @Override
            public void left(Connection c) {
            }
        };
        registry.maxConnections = STREAMS;
        registry.retryMs = 3000;
        registry.queueSize = 1024;
        registry.writerCount = 2;
        registry.batchChannels = Optional.empty();
        registry.start();
        heartbeats.registry = registry;
        heartbeats.executors = executors;
        heartbeats.intervalMs = 15_000;
        heartbeats.mode = "event";
        for (int i = 0; i < STREAMS; i++) {
            Connection c = registry.newConnection(registry.newClientId(), List.of(ChannelPattern.parse("hb.slices")),
                    Set.of(), false, Viewer.ANONYMOUS, new ClientDetails("test", "127.0.0.1"));
            RecordingOutbound out = new RecordingOutbound();
            registry.open(c, out, null, heartbeats.intervalMs(), () -> { });
            streams.add(c);
            outs.add(out);
        }
    }

    @AfterEach
    void shutDown() {
        heartbeats.stop();
        registry.shutdown();
        executors.shutdown();
        clock.shutdownNow();
    }

    @Test
    void intervalIsCutIntoTicksOfAtMostASecond() {
        assertEquals(new HeartbeatSlices(15, 1_000_000), HeartbeatSlices.of(15_000));
        assertEquals(new HeartbeatSlices(1, 1_000_000), HeartbeatSlices.of(1000));
        assertEquals(new HeartbeatSlices(1, 500_000), HeartbeatSlices.of(500));
        // not a whole number of seconds: ticks a little shorter than a second, still one beat per interval
        assertEquals(new HeartbeatSlices(3, 833_333), HeartbeatSlices.of(2500));
    }

    @Test
    void eachTickBeatsOnlyItsSliceAndEveryStreamOncePerInterval() throws Exception {
        heartbeats.start();
        assertNotNull(clock.periodic, "start() schedules the ticks");
        assertEquals(1_000_000, clock.periodUnit.toMicros(clock.period), "a tick every second");
        int slices = 15;
        int[] beats = new int[STREAMS];
        for (int tick = 0; tick < 2 * slices; tick++) {
            int slice = tick % slices;
            long before = System.currentTimeMillis();
            clock.periodic.run();
            long after = System.currentTimeMillis();
            Runnable probe = clock.takeDelayed(HeartbeatScheduler.PROBE_DELAY_MS);
            probe.run();
            for (int i = 0; i < STREAMS; i++) {
                if (streams.get(i).shard % slices == slice) {
                    beats[i]++;
                }
            }
            awaitFrames(beats);

            byte[] shared = null;
            for (int i = 0; i < STREAMS; i++) {
                List<byte[]> frames = outs.get(i).frames;
                if (streams.get(i).shard % slices != slice) {
                    continue;
                }
                byte[] heartbeat = frames.get(frames.size() - 2);
                String text = new String(heartbeat, StandardCharsets.UTF_8);
                assertTrue(text.startsWith("event: heartbeat\n"), text);
                Matcher m = TIME.matcher(text);
                assertTrue(m.find(), text);
                long time = Long.parseLong(m.group(1));
                assertTrue(time >= before && time <= after, "stamped at its tick: " + text);
                if (shared == null) {
                    shared = heartbeat;
                } else {
                    assertSame(shared, heartbeat, "one frame per tick, shared by the slice");
                }
                assertEquals(":\n", new String(frames.get(frames.size() - 1), StandardCharsets.US_ASCII),
                        "the probe follows the heartbeat, on the same slice");
            }
            assertNotNull(shared, "slice " + slice + " has streams");
        }
        for (int i = 0; i < STREAMS; i++) {
            assertEquals(2, beats[i], "two intervals, two heartbeats for stream " + i);
        }
    }

    @Test
    void broadcastWithoutSliceStillReachesEveryStream() throws Exception {
        byte[] frame = ": all\n\n".getBytes(StandardCharsets.US_ASCII);
        registry.broadcastFrame(frame);
        assertTrue(Await.until(() -> outs.stream().allMatch(o -> o.frames.size() == 3), Duration.ofSeconds(5)));
        outs.forEach(o -> assertSame(frame, o.frames.get(2)));
    }

    /** Waits until each stream has its retry and connected frames plus a heartbeat and a probe per beat, no more. */
    private void awaitFrames(int[] beats) throws Exception {
        boolean settled = Await.until(() -> {
            for (int i = 0; i < STREAMS; i++) {
                if (outs.get(i).frames.size() != 2 + 2 * beats[i]) {
                    return false;
                }
            }
            return streams.stream().allMatch(c -> c.queueDepth() == 0);
        }, Duration.ofSeconds(5));
        if (!settled) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < STREAMS; i++) {
                sb.append(" stream ").append(i).append(" shard ").append(streams.get(i).shard).append(": ")
                        .append(outs.get(i).frames.size()).append(" frames, expected ").append(2 + 2 * beats[i]);
            }
            throw new AssertionError("frames do not match the slices:" + sb);
        }
    }

    /** The transport of one stream: always ready, keeps what is written. */
    private static final class RecordingOutbound implements Outbound {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void write(byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Keeps scheduled tasks for the test to run by hand instead of running them on time. */
    private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        private final List<Runnable> delayed = new ArrayList<>();
        private final List<Long> delaysMs = new ArrayList<>();
        Runnable periodic;
        long period;
        TimeUnit periodUnit;

        ManualScheduler() {
            super(1);
        }

        @Override
        public synchronized ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period,
                                                                   TimeUnit unit) {
            this.periodic = task;
            this.period = period;
            this.periodUnit = unit;
            return null;
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            delayed.add(task);
            delaysMs.add(unit.toMillis(delay));
            return null;
        }

        /** The one task scheduled since the last call, checking its delay. */
        synchronized Runnable takeDelayed(long expectedDelayMs) {
            assertEquals(1, delayed.size(), "one probe per tick");
            assertEquals(expectedDelayMs, delaysMs.remove(0));
            return delayed.remove(0);
        }
    }

    private static final class ManualExecutors extends HeraldExecutors {
        private final ManualScheduler scheduler;

        ManualExecutors(ManualScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }
    }
}
