package io.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real SSE client over java.net.http: keeps the exact bytes received and the events parsed by the WHATWG rules.
 * Its reader thread only records; tests assert on what it recorded.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;
    private volatile String lastEventId = "";
    private String lastEventIdBuffer = "";

    private SseClient(HttpResponse<InputStream> response, String lastEventId) {
        this.response = response;
        this.lastEventId = lastEventId;
        this.lastEventIdBuffer = lastEventId;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code GET base + pathAndQuery} with {@code Accept: text/event-stream} and the given headers. */
    public static SseClient open(URI base, String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET()
                .header("Accept", "text/event-stream");
        headers.forEach(b::header);
        // like a browser, the client keeps the id it resumed from until a newer one arrives
        return new SseClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()),
                headers.getOrDefault("Last-Event-ID", ""));
    }

    public static SseClient open(URI base, String pathAndQuery) throws Exception {
        return open(base, pathAndQuery, Map.of());
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        StringBuilder line = new StringBuilder();
        ParserState state = new ParserState();
        byte[] buf = new byte[8192];
        ByteArrayOutputStream pendingLine = new ByteArrayOutputStream();
        boolean lastWasCr = false;
        try (InputStream in = response.body()) {
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

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
