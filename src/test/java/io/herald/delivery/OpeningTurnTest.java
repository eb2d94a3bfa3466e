package io.herald.delivery;

import io.herald.event.HubEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opening thread's turn ({@link Connection#beginOpening()}, {@link Connection#endOpening(boolean)}): a new
 * stream's first frames are written by the thread that opens it, in one flush, and the writer thread takes over only
 * when it must, never writing before the opener's bytes are out.
 */
class OpeningTurnTest {

    /** A transport that records what was written, by which thread, and each flush. */
    private static final class Recording implements Outbound {
        final List<String> log = new ArrayList<>();
        final List<Thread> writers = new ArrayList<>();
        boolean ready = true;
        Runnable onFlush = () -> { };

        @Override
        public synchronized boolean isReady() {
            return ready;
        }

        @Override
        public synchronized void write(byte[] frame) {
            log.add(new String(frame, StandardCharsets.UTF_8));
            writers.add(Thread.currentThread());
        }

        @Override
        public void flush() {
            synchronized (this) {
                log.add("flush");
            }
            onFlush.run();
        }

        @Override
        public void close() {
        }
    }

    /** Counts the hand-offs to the writer thread, which these tests play themselves by calling drain(). */
    private static final class Events implements Connection.ConnectionEvents {
        int scheduled;
        Connection.CloseReason closed;

        @Override
        public void schedule(Connection connection, boolean wake) {
            scheduled++;
        }

        @Override
        public void closed(Connection connection, Connection.CloseReason reason) {
            closed = reason;
        }

        @Override
        public void delivered(Connection connection, HubEvent event) {
        }

        @Override
        public void written(Connection connection, long nanos) {
        }
    }

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Connection opened(Recording out, Events events) {
        Connection c = TestConnections.create("c1");
        c.attach(out, events);
        c.beginOpening();
        return c;
    }

    @Test
    void theOpenerWritesTheFirstFramesInOneFlushAndTheWriterIsNotWoken() {
        Recording out = new Recording();
        Events events = new Events();
        Connection c = opened(out, events);
        c.send(frame("retry"));
        c.send(frame("connected"));
        c.send(frame("replayed"));
        assertEquals(List.of(), out.log, "nothing is written while the stream opens");
        assertEquals(0, events.scheduled, "frames queued while opening do not wake the writer");

        c.endOpening(true);

        assertEquals(List.of("retry", "connected", "replayed", "flush"), out.log);
        assertTrue(out.writers.stream().allMatch(t -> t == Thread.currentThread()), "written by the opener");
        assertEquals(0, events.scheduled);
        c.send(frame("live"));
        assertEquals(1, events.scheduled, "the turn was given back: the next frame wakes the writer");
        c.drain();
        assertEquals(List.of("retry", "connected", "replayed", "flush", "live", "flush"), out.log);
    }

    @Test
    void aTransportThatMustNotBeWrittenByTheOpenerGetsTheWriterOnce() {
        Recording out = new Recording();
        Events events = new Events();
        Connection c = opened(out, events);
        c.send(frame("retry"));
        c.send(frame("connected"));

        c.endOpening(false);

        assertEquals(List.of(), out.log);
        assertEquals(1, events.scheduled, "one hand-off for everything queued while opening");
        c.drain();
        assertEquals(List.of("retry", "connected", "flush"), out.log);
    }

    @Test
    void nothingQueuedGivesTheTurnBackWithoutAHandOff() {
        Recording out = new Recording();
        Events events = new Events();
        Connection c = opened(out, events);

        c.endOpening(false);

        assertEquals(0, events.scheduled);
        c.send(frame("first"));
        assertEquals(1, events.scheduled);
    }

    @Test
    void aFrameQueuedWhileTheOpenerFlushesGoesToTheWriterAfterTheOpenersBytes() {
        Recording out = new Recording();
        Events events = new Events();
        Connection c = opened(out, events);
        c.send(frame("retry"));
        c.send(frame("connected"));
        // a publish lands while the opener is in its flush: it must not take the turn (and write) before the flush
        // is done, and must not be lost once the opener gives the turn back
        out.onFlush = () -> {
            out.onFlush = () -> { };
            c.send(frame("live"));
            assertEquals(0, events.scheduled, "the opener still holds the turn during its flush");
        };

        c.endOpening(true);

        assertEquals(List.of("retry", "connected", "flush"), out.log);
        assertEquals(1, events.scheduled, "the writer takes over for the frame that came during the flush");
        c.drain();
        assertEquals(List.of("retry", "connected", "flush", "live", "flush"), out.log);
    }

    @Test
    void aTransportNotReadyKeepsTheTurnUntilItIsWritableThenTheWriterGoesOn() {
        Recording out = new Recording();
        out.ready = false;
        Events events = new Events();
        Connection c = opened(out, events);
        c.send(frame("retry"));

        c.endOpening(true);

        assertEquals(List.of(), out.log);
        assertEquals(0, events.scheduled);
        c.send(frame("live"));
        assertEquals(0, events.scheduled, "still waiting for the transport: no hand-off yet");
        out.ready = true;
        c.onWritable();
        assertEquals(1, events.scheduled);
        c.drain();
        assertEquals(List.of("retry", "live", "flush"), out.log);
    }

    @Test
    void aStreamEndedGracefullyWhileOpeningSendsItsFramesThenTheWriterFinishesIt() {
        Recording out = new Recording();
        Events events = new Events();
        Connection c = opened(out, events);
        c.send(frame("retry"));
        c.closeGracefully(frame("unavailable"), Connection.CloseReason.SHUTDOWN);

        c.endOpening(true);

        assertEquals(List.of("retry", "unavailable", "flush"), out.log);
        assertFalse(c.isClosed(), "not closed before the writer has flushed the end");
        assertEquals(1, events.scheduled, "the writer finishes the close");
        c.drain();
        assertTrue(c.isClosed());
        assertEquals(Connection.CloseReason.SHUTDOWN, events.closed);
    }
}
