package io.herald.embedded;

import io.herald.delivery.Connection;
import io.herald.delivery.Outbound;
import io.herald.stream.GzipFrames;
import jakarta.servlet.AsyncContext;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A stream body written by Herald straight to the socket as HTTP/1.1 chunks, without blocking. A writer thread
 * stages a connection's frames in a direct buffer of its own and sends them with one system call; what the socket
 * cannot take waits here, and {@link WritableWatcher} says when to try again. Grizzly encoded the headers, which
 * Herald holds back and sends with the first frames (one write, not two), and still owns the connection: at a
 * normal end of a stream it has not detached it writes the last chunk ({@code async.complete()}); a stream cut off
 * in the middle of a chunk (a stalled client) is reset instead, so the client never reads a torn frame.
 */
final class DirectOutbound implements Outbound {

    static final int STAGE_BYTES = 32 * 1024;
    /** One per writer thread; holds one connection's bytes between its first write and its flush. */
    private static final ThreadLocal<Stage> STAGE = ThreadLocal.withInitial(Stage::new);

    /**
     * A writer thread's buffer and the stream whose bytes are in it. A drain cut short (its stream closed between
     * two frames) leaves bytes behind; they are dropped when another stream takes the buffer, never sent on its socket.
     */
    private static final class Stage {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(STAGE_BYTES);
        DirectOutbound owner;

        ByteBuffer takenBy(DirectOutbound out) {
            if (owner != out) {
                buffer.clear();
                owner = out;
            }
            return buffer;
        }
    }
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Hex length, CRLF, then CRLF after the data. */
    private static final int CHUNK_OVERHEAD = 8 + 2 + 2;

    private final SocketChannel channel;
    /** Closes the connection through its owner (Grizzly), so its own bookkeeping ends too. */
    private final Runnable closeConnection;
    /** Null for a detached stream, whose exchange Grizzly has finished already (see {@link DetachedStreams}). */
    private final AsyncContext async;
    /** The stream: told when the socket is writable again, and when a write failed. */
    private final Connection connection;
    private final GzipFrames gzip;
    private final WritableWatcher watcher;
    /**
     * The response's headers as Grizzly encoded them, held back to go out with the first frames in one write; null
     * once sent (or when Grizzly sent them itself).
     */
    private byte[] head;
    /** Bytes the socket did not take yet; null when everything went out. */
    private ByteBuffer pending;
    private boolean closed;

    DirectOutbound(SocketChannel channel, Runnable closeConnection, AsyncContext async, Connection connection,
                   GzipFrames gzip, WritableWatcher watcher, byte[] head) {
        this.channel = channel;
        if (head != null && head.length > 0) {
            if (head.length > STAGE_BYTES / 2) {
                pending = ByteBuffer.wrap(head); // too big to share the stage: it goes first, on its own
            } else {
                this.head = head;
            }
        }
        this.closeConnection = closeConnection;
        this.async = async;
        this.connection = connection;
        this.gzip = gzip;
        this.watcher = watcher;
    }

    @Override
    public synchronized boolean isReady() {
        if (closed) {
            return false;
        }
        if (pending == null) {
            return true;
        }
        try {
            channel.write(pending);
        } catch (IOException e) {
            closed = true;
            pending = null;
            connection.close(Connection.CloseReason.WRITE_FAILED);
            return false;
        }
        if (pending.hasRemaining()) {
            watcher.arm(channel, this);
            return false;
        }
        pending = null;
        return true;
    }

    @Override
    public synchronized void write(byte[] frame) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        byte[] bytes = gzip == null ? frame : gzip.frame(frame);
        if (bytes.length == 0) {
            return;
        }
        ByteBuffer stage = staged();
        if (stage.remaining() < bytes.length + CHUNK_OVERHEAD) {
            send(stage);
        }
        if (pending != null || bytes.length + CHUNK_OVERHEAD > stage.capacity()) {
            ByteBuffer chunk = chunk(bytes);
            if (pending == null) {
                channel.write(chunk);
            }
            keep(chunk);
            return;
        }
        putChunk(stage, bytes);
    }

    @Override
    public synchronized void flush() throws IOException {
        ByteBuffer stage = STAGE.get().takenBy(this);
        if (closed) {
            stage.clear();
            throw new ClosedChannelException();
        }
        stage = staged();
        send(stage);
        if (pending != null) {
            watcher.arm(channel, this);
        }
    }

    /** This thread's stage, taken by this stream, with the held headers at its start if they have not gone yet. */
    private ByteBuffer staged() {
        ByteBuffer stage = STAGE.get().takenBy(this);
        if (head != null) {
            stage.put(head);
            head = null;
        }
        return stage;
    }

    /** Writes what is staged; the socket's leftovers are kept for later. The stage is empty afterwards. */
    private void send(ByteBuffer stage) throws IOException {
        try {
            stage.flip();
            if (stage.hasRemaining()) {
                channel.write(stage);
                keep(stage);
            }
        } finally {
            stage.clear();
        }
    }

    /** Keeps the unwritten rest of {@code buffer} after anything already waiting. */
    private void keep(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            return;
        }
        int waiting = pending == null ? 0 : pending.remaining();
        ByteBuffer joined = ByteBuffer.allocate(waiting + buffer.remaining());
        if (pending != null) {
            joined.put(pending);
        }
        joined.put(buffer).flip();
        pending = joined;
    }

    /** {@code bytes} as one HTTP/1.1 chunk in a buffer of its own, ready to write. */
    private static ByteBuffer chunk(byte[] bytes) {
        return putChunk(ByteBuffer.allocate(bytes.length + CHUNK_OVERHEAD), bytes).flip();
    }

    /** Appends {@code bytes} as one chunk: hex length, CRLF, the bytes, CRLF; nothing allocated. */
    private static ByteBuffer putChunk(ByteBuffer into, byte[] bytes) {
        int length = bytes.length;
        for (int shift = (31 - Integer.numberOfLeadingZeros(length | 1)) / 4 * 4; shift >= 0; shift -= 4) {
            into.put(HEX[(length >>> shift) & 0xf]);
        }
        return into.put(CRLF).put(bytes).put(CRLF);
    }

    /** Every method holds the lock and nothing blocks: the thread that opens the stream may write its first frames. */
    @Override
    public boolean writesOnOpener() {
        return true;
    }

    /** A detached stream's socket is read by Grizzly's transport, which sees a reset or close without a probe. */
    @Override
    public boolean needsProbe() {
        return async != null;
    }

    /** Called by the watcher: the socket can take more. */
    void writable() {
        connection.onWritable();
    }

    /** Ends the body: the gzip trailer and Grizzly's last chunk when everything went out, a reset otherwise. */
    @Override
    public void close() {
        end(false);
    }

    /** Cuts the stream off at once (a stalled or failed client): the socket is reset, its buffers freed. */
    @Override
    public void abort() {
        end(true);
    }

    /**
     * The client closed its end (Grizzly read the end of its stream): no gzip trailer and no last chunk, which would
     * only be answered by a reset; Grizzly closes the socket.
     */
    @Override
    public void abandon() {
        discard();
        if (async == null && channel.isOpen()) {
            closeConnection.run();
        }
        completeQuietly();
    }

    private void end(boolean abort) {
        if (!channel.isOpen()) {
            // the client went first (Grizzly saw it close): nothing left to write or reset, and trying would only
            // build two exceptions per departed client
            discard();
            completeQuietly();
            return;
        }
        boolean reset = abort;
        synchronized (this) {
            if (closed && pending == null && !abort) {
                // closed by a failed write: Grizzly's close already ended the exchange
                completeQuietly();
                return;
            }
            closed = true;
            watcher.disarm(channel);
            reset |= pending != null;
            pending = null;
            if (gzip != null) {
                reset |= !reset && !writeWhole(gzip.finish());
                gzip.end();
            }
            if (!reset && async == null) {
                // a detached stream writes its own last chunk; then the connection closes
                reset = !writeRaw(ByteBuffer.wrap(LAST_CHUNK));
            } else if (!reset && head != null) {
                // Grizzly writes the last chunk when the exchange completes: the headers must be out first
                reset = !writeRaw(ByteBuffer.allocate(0));
            }
        }
        if (reset) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // already closed
            }
        }
        if (reset || async == null) {
            closeConnection.run();
        }
        completeQuietly();
    }

    /** Takes no more frames and drops what waits, writing nothing. */
    private synchronized void discard() {
        closed = true;
        watcher.disarm(channel);
        pending = null;
        if (gzip != null) {
            gzip.end();
        }
    }

    /** Writes {@code buffer} at once, after the held headers if they have not gone yet; true when all went out. */
    private boolean writeRaw(ByteBuffer buffer) {
        if (head != null) {
            buffer = ByteBuffer.allocate(head.length + buffer.remaining()).put(head).put(buffer).flip();
            head = null;
        }
        try {
            channel.write(buffer);
            return !buffer.hasRemaining();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean writeWhole(byte[] bytes) {
        return bytes.length == 0 || writeRaw(chunk(bytes));
    }

    private void completeQuietly() {
        if (async == null) {
            return;
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed (client gone)
        }
    }
}
