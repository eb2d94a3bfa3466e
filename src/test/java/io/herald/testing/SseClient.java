package io.herald.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real SSE client over a plain socket (HTTP/1.1, chunked or not): keeps the exact bytes received and the events
 * parsed by the WHATWG rules, and closing it really closes the TCP connection. Its reader thread only records;
 * tests assert on what it recorded.
 */
public final class SseClient implements AutoCloseable {

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final java.util.concurrent.atomic.AtomicLong wireBytes = new java.util.concurrent.atomic.AtomicLong();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;
    private volatile String lastEventId = "";
    private String lastEventIdBuffer = "";

    private SseClient(Socket socket, int status, Map<String, String> headers, InputStream body, String lastEventId) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.lastEventId = lastEventId;
        this.lastEventIdBuffer = lastEventId;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code GET base + pathAndQuery} with {@code Accept: text/event-stream} and the given headers. */
    public static SseClient open(URI base, String pathAndQuery, Map<String, String> headers) throws Exception {
        URI target = base.resolve(pathAndQuery);
        Socket socket = new Socket(target.getHost(), target.getPort());
        socket.setSoTimeout(0);
        StringBuilder request = new StringBuilder("GET ").append(target.getRawPath())
                .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "text/event-stream");
        all.putAll(headers);
        all.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            socket.close();
            throw new IOException("no HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        InputStream body = "chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))
                ? new ChunkedInputStream(in)
                : responseHeaders.containsKey("content-length")
                ? new BoundedInputStream(in, Long.parseLong(responseHeaders.get("content-length"))) : in;
        // like a browser, the client keeps the id it resumed from until a newer one arrives
        return new SseClient(socket, status, responseHeaders, body, headers.getOrDefault("Last-Event-ID", ""));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Decodes HTTP/1.1 chunked transfer coding. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                String size = readLine(in);
                while (size != null && size.isEmpty()) {
                    size = readLine(in);
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                remaining = Long.parseLong(size.split(";")[0].trim(), 16);
                if (remaining == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n == -1) {
                done = true;
                return -1;
            }
            remaining -= n;
            return n;
        }
    }

    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                remaining--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    public static SseClient open(URI base, String pathAndQuery) throws Exception {
        return open(base, pathAndQuery, Map.of());
    }

    public int status() {
        return status;
    }

    /** A response header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private void read() {
        StringBuilder line = new StringBuilder();
        ParserState state = new ParserState();
        byte[] buf = new byte[8192];
        ByteArrayOutputStream pendingLine = new ByteArrayOutputStream();
        boolean lastWasCr = false;
        try (InputStream in = decoded(body)) {
            int n;
            while ((n = in.read(buf)) != -1) {
                synchronized (raw) {
                    raw.write(buf, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c == '\n' && lastWasCr) {
                        lastWasCr = false;
                        continue;
                    }
                    lastWasCr = c == '\r';
                    if (c == '\r' || c == '\n') {
                        state.line(pendingLine.toString(StandardCharsets.UTF_8));
                        pendingLine.reset();
                    } else {
                        pendingLine.write(c);
                    }
                }
            }
        } catch (IOException e) {
            // the stream ended or was closed by the test
        } finally {
            ended = true;
        }
    }

    /** The body as sent, counted, then gunzipped when the server sent {@code Content-Encoding: gzip}. */
    private InputStream decoded(InputStream in) throws IOException {
        InputStream counted = new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    wireBytes.incrementAndGet();
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    wireBytes.addAndGet(n);
                }
                return n;
            }
        };
        return "gzip".equalsIgnoreCase(headers.get("content-encoding"))
                ? new java.util.zip.GZIPInputStream(counted, 8192) : counted;
    }

    /** Body bytes received on the wire (compressed, when the stream is). */
    public long wireBytes() {
        return wireBytes.get();
    }

    private final class ParserState {
        private String event;
        private final StringBuilder data = new StringBuilder();
        private boolean hasData;
        private Long retry;

        void line(String line) {
            if (line.isEmpty()) {
                lastEventId = lastEventIdBuffer;
                if (hasData) {
                    String d = data.toString();
                    if (d.endsWith("\n")) {
                        d = d.substring(0, d.length() - 1);
                    }
                    events.add(new SseEvent(lastEventId.isEmpty() ? null : lastEventId, event, d, retry));
                }
                event = null;
                data.setLength(0);
                hasData = false;
                retry = null;
                return;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    data.append(value).append('\n');
                    hasData = true;
                }
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventIdBuffer = value;
                    }
                }
                case "retry" -> {
                    if (value.matches("\\d+")) {
                        retry = Long.parseLong(value);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The events dispatched so far. */
    public List<SseEvent> events() {
        return new ArrayList<>(events);
    }

    /** The dispatched events of one type. */
    public List<SseEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public List<String> comments() {
        return new ArrayList<>(comments);
    }

    /** The last event id seen, as a browser would send in Last-Event-ID. */
    public String lastEventId() {
        return lastEventId;
    }

    public String rawText() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.UTF_8);
        }
    }

    public boolean ended() {
        return ended;
    }

    /** Waits until the recorded events satisfy the condition; returns false on timeout. */
    public boolean await(Predicate<List<SseEvent>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(events())) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.test(events());
    }

    /** Waits until {@code count} events of {@code type} have arrived. */
    public boolean awaitCount(String type, int count, Duration timeout) throws InterruptedException {
        return await(list -> list.stream().filter(e -> e.type().equals(type)).count() >= count, timeout);
    }

    public boolean awaitRaw(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (rawText().contains(text)) {
                return true;
            }
            Thread.sleep(5);
        }
        return rawText().contains(text);
    }

    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return ended;
    }

    /** The client id from the {@code connected} event. */
    public String clientId() throws InterruptedException {
        if (!awaitCount("connected", 1, Duration.ofSeconds(5))) {
            throw new AssertionError("no connected event");
        }
        String data = events("connected").get(0).data();
        int i = data.indexOf("\"clientId\":\"") + 12;
        return data.substring(i, data.indexOf('"', i));
    }

    /** Closes the TCP connection. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
