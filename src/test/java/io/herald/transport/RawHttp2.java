package io.herald.transport;

import org.glassfish.grizzly.http2.hpack.Decoder;
import org.glassfish.grizzly.http2.hpack.DecodingCallback;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP/2 connection driven frame by frame over TLS, for what a full client hides: which frames the server sends
 * on a stream and in what order, and a client that sends no more than its flow-control window allows and then
 * waits. Requests are encoded without Huffman coding or indexing; responses are decoded with Grizzly's HPACK decoder.
 * Reads time out after 10 s.
 */
final class RawHttp2 implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int MAX_FRAME = 16_384;

    /** A frame as received; {@code headers} holds a decoded header block (HEADERS and its CONTINUATIONs). */
    record Frame(int type, int flags, int stream, byte[] payload, Map<String, String> headers) {

        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** RST_STREAM's and GOAWAY's error code, WINDOW_UPDATE's increment. */
        long number() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return switch (type) {
                case RST_STREAM -> b.getInt() & 0xFFFFFFFFL;
                case GOAWAY -> b.getInt(4) & 0xFFFFFFFFL;
                case WINDOW_UPDATE -> b.getInt() & 0x7FFFFFFF;
                default -> throw new IllegalStateException("no number in frame type " + type);
            };
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + ", flags=" + flags + ", stream=" + stream + ", length=" + payload.length
                    + (headers != null ? ", headers=" + headers : "") + "]";
        }
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authority;
    private final Decoder decoder = new Decoder(4096);

    private RawHttp2(SSLSocket socket, String authority) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.authority = authority;
    }

    /** Opens a connection to {@code base} that negotiates h2, and sends the preface and empty SETTINGS. */
    static RawHttp2 connect(SSLContext tls, URI base) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(base.getHost(), base.getPort());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new IOException("ALPN chose " + socket.getApplicationProtocol());
        }
        RawHttp2 h2 = new RawHttp2(socket, base.getHost() + ":" + base.getPort());
        h2.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        h2.write(SETTINGS, 0, 0, new byte[0]);
        return h2;
    }

    /** Sends a request's headers on {@code stream}; {@code headers} by lower-case name. */
    void headers(int stream, String method, String path, Map<String, String> headers, boolean endStream)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(":method", method);
        all.put(":scheme", "https");
        all.put(":authority", authority);
        all.put(":path", path);
        all.putAll(headers);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        all.forEach((name, value) -> {
            block.write(0); // a literal field without indexing, its name a literal too
            string(block, name);
            string(block, value);
        });
        write(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block.toByteArray());
    }

    /** Sends {@code body} on {@code stream} in frames of at most 16 KiB, the last with END_STREAM if asked. */
    void data(int stream, byte[] body, boolean endStream) throws IOException {
        int at = 0;
        do {
            int n = Math.min(MAX_FRAME, body.length - at);
            boolean last = at + n == body.length;
            write(DATA, last && endStream ? END_STREAM : 0, stream, Arrays.copyOfRange(body, at, at + n));
            at += n;
        } while (at < body.length);
    }

    /** The next frame other than SETTINGS and PING, which are answered here; a header block comes whole. */
    Frame next() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.type() == SETTINGS) {
                if (!frame.has(0x1)) {
                    write(SETTINGS, 0x1, 0, new byte[0]);
                }
            } else if (frame.type() == PING) {
                if (!frame.has(0x1)) {
                    write(PING, 0x1, 0, frame.payload());
                }
            } else if (frame.type() == HEADERS) {
                return headerBlock(frame);
            } else {
                return frame;
            }
        }
    }

    private Frame headerBlock(Frame first) throws IOException {
        ByteBuffer payload = ByteBuffer.wrap(first.payload());
        int padding = first.has(PADDED) ? payload.get() & 0xFF : 0;
        if (first.has(PRIORITY)) {
            payload.position(payload.position() + 5);
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(first.payload(), payload.position(), payload.remaining() - padding);
        boolean end = first.has(END_HEADERS);
        while (!end) {
            Frame more = read();
            if (more.type() != CONTINUATION || more.stream() != first.stream()) {
                throw new IOException("a header block interrupted by " + more);
            }
            block.write(more.payload());
            end = more.has(END_HEADERS);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        decoder.decode(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, block.toByteArray()), true,
                new DecodingCallback() {
                    @Override
                    public void onDecoded(CharSequence name, CharSequence value) {
                        headers.put(name.toString(), value.toString());
                    }
                });
        return new Frame(HEADERS, first.flags(), first.stream(), first.payload(), headers);
    }

    private Frame read() throws IOException {
        int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7FFFFFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, stream, payload, null);
    }

    private synchronized void write(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        out.write(frame.array());
        out.flush();
    }

    /** An HPACK string literal, not Huffman-coded: its length as a 7-bit prefix integer, then its octets. */
    private static void string(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            for (length -= 127; length >= 128; length >>>= 7) {
                block.write(length & 0x7F | 0x80);
            }
            block.write(length);
        }
        block.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
