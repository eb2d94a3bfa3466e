package io.herald.fuzz;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes, oversized and garbled bodies, headers and query strings against every endpoint, over raw sockets
 * (so nothing is cleaned up by an HTTP client). No answer is a 5xx or carries a stack trace, and the server keeps
 * serving: a subscriber opened before the storm still gets an event published after it.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.heartbeat.interval-ms=60000", "herald.cors.origins=https://app.example",
        "herald.http.trusted-proxies=127.0.0.1"})
class FuzzTest {

    private static final long SEED = Long.getLong("herald.fuzz.seed", 20261122L);
    private static final int ROUNDS = Integer.getInteger("herald.fuzz.rounds", 600);
    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD", "PATCH"};
    private static final String[] PATHS = {
            "/api/events", "/api/events/poll", "/api/channels", "/api/channels/%s/events", "/api/channels/%s/presence",
            "/api/channels/%s/subscribers", "/api/clients", "/api/clients/%s", "/api/clients/%s/events",
            "/api/stats", "/api/demo/login", "/api/%s", "/%s"};
    private static final String[] HEADERS = {"Authorization", "Content-Type", "Accept", "Last-Event-ID", "Origin",
            "Cookie", "X-Forwarded-For", "Access-Control-Request-Method", "Access-Control-Request-Headers",
            "Content-Length", "Transfer-Encoding", "Host"};

    private final Random random = new Random(SEED);
    private final String admin = TestTokens.admin();

    @Test
    void noInputBreaksTheServer(URI base) throws Exception {
        try (SseClient survivor = SseClient.open(base, "api/events?channel=fuzz.survivor")) {
            assertTrue(survivor.awaitCount("connected", 1, Duration.ofSeconds(5)));
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                byte[] request = request(base);
                Answer answer = send(base, request);
                if (answer.status >= 500 || answer.body.contains("Exception") || answer.body.contains("\tat ")
                        || answer.body.matches("(?s).*\\bat [a-z]+\\.[a-z].*\\(.*\\.java:\\d+\\).*")) {
                    failures.add("seed " + SEED + " round " + round + ": " + answer.status + " " + cut(answer.body)
                            + "\nrequest: " + cut(new String(request, StandardCharsets.ISO_8859_1)));
                }
            }
            assertTrue(failures.isEmpty(), () -> failures.size() + " bad answers, first: " + failures.get(0));

            String id = Http.publish(base, "fuzz.survivor", "after", "\"still here\"");
            assertTrue(survivor.awaitCount("after", 1, Duration.ofSeconds(5)), "the server still delivers");
            assertEquals(id, survivor.events("after").get(0).id());
            assertFalse(survivor.ended());
            assertEquals(200, Http.get(base, "api/stats").statusCode());
        }
    }

    private byte[] request(URI base) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String method = random.nextInt(10) == 0 ? garbleAscii(6) : METHODS[random.nextInt(METHODS.length)];
        String path = PATHS[random.nextInt(PATHS.length)];
        if (path.contains("%s")) {
            // any percent-escape at all, undecodable ones (%F6, %00, %2F) included: the answer is a JSON 400
            path = path.formatted(random.nextBoolean() ? "fuzz.a"
                    : random.nextBoolean() ? pathGarbage(random.nextInt(300)) : percentGarbage(random.nextInt(300)));
        }
        String query = switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "?channel=fuzz.a&channel=" + percentGarbage(40) + "&after=" + percentGarbage(30);
            case 2 -> "?channels=" + ",".repeat(random.nextInt(50)) + "&wait=" + random.nextInt() + "&event=%0d%0a";
            case 3 -> "?access_token=" + percentGarbage(random.nextInt(12000)) + "&channel=fuzz.a";
            case 4 -> "?" + percentGarbage(random.nextInt(5000));
            default -> "?channel=fuzz.a&lastEventId=" + percentGarbage(400) + "&envelope=" + percentGarbage(5);
        };
        byte[] body = body();
        write(out, method + " " + path + query + " HTTP/1.1\r\n");
        write(out, "Host: " + base.getHost() + ":" + base.getPort() + "\r\n");
        if (random.nextBoolean()) {
            write(out, "Authorization: Bearer " + admin + "\r\n");
        }
        int headers = random.nextInt(6);
        for (int i = 0; i < headers; i++) {
            String name = HEADERS[random.nextInt(HEADERS.length)];
            if (name.equals("Content-Length") || name.equals("Transfer-Encoding") || name.equals("Host")) {
                continue; // framing is the container's business; a wrong length would only hang the test
            }
            write(out, name + ": ");
            out.writeBytes(headerGarbage(random.nextInt(3) == 0 ? 9000 : 200));
            write(out, "\r\n");
        }
        if (random.nextInt(4) == 0) {
            write(out, "Content-Type: application/json\r\n");
        }
        write(out, "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        out.writeBytes(body);
        return out.toByteArray();
    }

    private byte[] body() {
        return switch (random.nextInt(7)) {
            case 0 -> new byte[0];
            case 1 -> randomBytes(random.nextInt(2000));
            case 2 -> randomBytes(70_000 + random.nextInt(10_000)); // over herald.publish.max-bytes
            case 3 -> ("{\"data\":" + "[".repeat(random.nextInt(5000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("[{\"channel\":\"" + percentGarbage(20) + "\",\"data\":1,\"event\":\"a\\u0000b\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"data\":\"\\ud800\",\"retry\":1e999,\"private\":\"yes\",\"permission\":" + random.nextInt() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> "{\"event\":\"ok\",\"data\":{\"n\":1}}".getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Header bytes: anything but CR and LF, which would end the header. */
    private byte[] headerGarbage(int n) {
        byte[] b = randomBytes(n);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                b[i] = 'x';
            }
        }
        return b;
    }

    private String percentGarbage(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            if (kind == 0) {
                s.append(String.format("%%%02X", random.nextInt(256)));
            } else if (kind == 1) {
                s.append("*.**%.-_:~!$'()+;=@".charAt(random.nextInt(19)));
            } else {
                s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    private String pathGarbage(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            if (kind == 0) {
                int c = 0x20 + random.nextInt(0x5f); // printable; Grizzly also 500s on %00, %2F and %5C
                s.append(c == '/' || c == '\\' ? "%41" : String.format("%%%02X", c));
            } else if (kind == 1) {
                s.append("*.**-_:~!$'()+;=@".charAt(random.nextInt(17)));
            } else {
                s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    private String garbleAscii(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) (33 + random.nextInt(94)));
        }
        return s.toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    record Answer(int status, String body) {
    }

    /** Sends the bytes and reads the answer: headers, and up to 64 KiB of body (a stream is left after 2 s). */
    private static Answer send(URI base, byte[] request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before reading a large body: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while (got.size() < 65536 && (n = in.read(buf)) != -1) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
                // an event stream stays open; a reset after the answer is fine: judge what arrived
            }
            String text = got.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.")) {
                return new Answer(text.isEmpty() ? 0 : 999, text);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }
}
