package io.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A POST sent in parts over its own socket, as a slow client sends it: the headers and the start of the body first,
 * the rest when the test says. Reads the answer as raw HTTP/1.1 (status line, headers, a Content-Length body).
 */
public final class SlowUpload implements AutoCloseable {

    /** An answer: its status, headers as sent (lower-cased names) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final byte[] rest;

    private SlowUpload(Socket socket, byte[] rest) {
        this.socket = socket;
        this.rest = rest;
    }

    /**
     * Sends the request line, the headers ({@code Content-Length} of the whole body unless {@code headers} says
     * {@code Transfer-Encoding}) and the first {@code sentNow} bytes of {@code body}.
     */
    public static SlowUpload start(URI base, String path, Map<String, String> headers, String body, int sentNow)
            throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort()); // base: a context root ending in "/"
        socket.setSoTimeout(60_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + base.resolve(path).getRawPath()
                + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (!headers.containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        var out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes, 0, sentNow);
        out.flush();
        byte[] rest = new byte[bytes.length - sentNow];
        System.arraycopy(bytes, sentNow, rest, 0, rest.length);
        return new SlowUpload(socket, rest);
    }

    /** Sends the rest of the body. */
    public SlowUpload finish() throws IOException {
        socket.getOutputStream().write(rest);
        socket.getOutputStream().flush();
        return this;
    }

    /** Sends raw bytes on the connection (a chunk of a chunked body, for one). */
    public SlowUpload send(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads the answer; its body by Content-Length. */
    public Answer answer() throws IOException {
        return read(socket.getInputStream());
    }

    /**
     * Whether the server closes the connection within {@code within} after its answer: the next read sees the end
     * of the stream (or a reset) and no bytes. False if the connection is still open when the time is up.
     */
    public boolean closedByServerWithin(java.time.Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            int next = socket.getInputStream().read();
            if (next >= 0) {
                throw new IOException("the server sent more after its answer: " + (char) next);
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset: closed too
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Publishes each body in turn on one keep-alive connection, sending the headers, then the body in pieces of
     * {@code piece} bytes, each flushed on its own; answers each request's status code.
     */
    public static java.util.List<Integer> publishInPieces(URI base, String path, String authorization,
                                                         java.util.List<String> bodies, int piece) throws IOException {
        return publishInPieces(base, path, authorization, bodies, piece, false);
    }

    /**
     * As {@link #publishInPieces(URI, String, String, java.util.List, int)}; with {@code chunked} each piece is a
     * chunk of a chunked body, and the last chunk comes on its own after the body.
     */
    public static java.util.List<Integer> publishInPieces(URI base, String path, String authorization,
                                                         java.util.List<String> bodies, int piece, boolean chunked)
            throws IOException {
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            for (String text : bodies) {
                byte[] body = text.getBytes(StandardCharsets.UTF_8);
                out.write(("POST " + base.resolve(path).getRawPath() + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                        + base.getPort() + "\r\nAuthorization: " + authorization
                        + "\r\nContent-Type: application/json\r\n"
                        + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int off = 0; off < body.length; off += piece) {
                    int n = Math.min(piece, body.length - off);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(body, off, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                statuses.add(read(in).status());
            }
        }
        return statuses;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended before the answer did: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
