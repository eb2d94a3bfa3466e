package io.herald.stream;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one stream's frames as a single gzip member, flushing the compressor after every frame
 * ({@code SYNC_FLUSH}) so each event can be decoded the moment it arrives; nothing waits in a buffer
 * (the trap of jersey#3309). The dictionary carries across frames, which is where a feed of similar JSON saves.
 */
public final class GzipFrames {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[8192];
    private boolean headerSent;
    private boolean finished;

    GzipFrames(int level) {
        this.deflater = new Deflater(level, true);
    }

    /** The compressed bytes for one frame, ending on a byte boundary the client can decode up to. */
    public byte[] frame(byte[] frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length / 2 + 32);
        if (!headerSent) {
            out.writeBytes(HEADER);
            headerSent = true;
        }
        crc.update(frame);
        deflater.setInput(frame);
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        return out.toByteArray();
    }

    /** The end of the gzip member (final block, CRC and length), once, when the stream ends. */
    public byte[] finish() {
        if (finished) {
            return new byte[0];
        }
        finished = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        if (!headerSent) {
            out.writeBytes(HEADER);
            headerSent = true;
        }
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(chunk);
            out.write(chunk, 0, n);
        }
        deflater.end();
        long crcValue = crc.getValue();
        long size = deflater.getBytesRead();
        for (int i = 0; i < 4; i++) {
            out.write((int) (crcValue >>> (8 * i)) & 0xff);
        }
        for (int i = 0; i < 4; i++) {
            out.write((int) (size >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    /** Frees the native compressor when the stream ends without a trailer. */
    public void end() {
        if (!finished) {
            finished = true;
            deflater.end();
        }
    }
}
