package io.herald.deploy;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's nginx with server-configs/nginx/herald.conf in front of the embedded server: events arrive one by one
 * (nothing buffered or compressed), a reconnect through nginx resumes from Last-Event-ID, and browsers get HTTP/2.
 * Needs the Debian package {@code nginx} (and {@code openssl}); .ci/test installs them. Never skipped.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.heartbeat.interval-ms=15000", "herald.http.trusted-proxies=127.0.0.1"})
class NginxProxyIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path DIR = Path.of("target/nginx").toAbsolutePath();
    private static Process nginx;
    private static int httpPort;
    private static int httpsPort;

    @BeforeAll
    static void startNginx(URI herald) throws Exception {
        String binary = new File("/usr/sbin/nginx").canExecute() ? "/usr/sbin/nginx" : "nginx";
        Files.createDirectories(DIR.resolve("logs"));
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", DIR.resolve("herald.key").toString(), "-out", DIR.resolve("herald.crt").toString()));
        httpPort = freePort();
        httpsPort = freePort();
        String site = Files.readString(Path.of("server-configs/nginx/herald.conf"))
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + herald.getPort() + ";")
                .replace("listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;")
                .replace("listen 80;", "listen 127.0.0.1:" + httpPort + ";")
                .replace("/etc/nginx/tls/", DIR + "/");
        assertTrue(site.contains(String.valueOf(herald.getPort())) && site.contains(DIR + "/herald.crt"),
                "herald.conf no longer has the lines this test adapts: " + site);
        Files.writeString(DIR.resolve("herald.conf"), site);
        Files.writeString(DIR.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "worker_processes 1;", "pid " + DIR + "/nginx.pid;", "error_log " + DIR + "/logs/error.log;",
                "events { worker_connections 256; }",
                "http {", "  access_log off;", "  gzip on;", "  gzip_types text/event-stream application/json;",
                "  client_body_temp_path " + DIR + "/client_body;", "  proxy_temp_path " + DIR + "/proxy;",
                "  include " + DIR + "/herald.conf;", "}", ""));
        nginx = new ProcessBuilder(binary, "-p", DIR.toString(), "-e", DIR + "/logs/error.log", "-c", DIR + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(DIR.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!listening(httpPort) && System.nanoTime() < deadline) {
            assertTrue(nginx.isAlive(), () -> "nginx exited: " + read(DIR.resolve("logs/error.log")));
            Thread.sleep(50);
        }
        assertTrue(listening(httpPort), () -> "nginx is not listening: " + read(DIR.resolve("logs/error.log")));
    }

    @AfterAll
    static void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsArriveOneByOneAndAReconnectResumesFromLastEventId(URI herald) throws Exception {
        URI proxy = URI.create("http://127.0.0.1:" + httpPort + "/");
        String lastId;
        // gzip is on for the rest of this nginx (gzip_types names text/event-stream): the stream's location turns it off
        try (SseClient client = SseClient.open(proxy, "api/events?channel=nginx.feed", Map.of("Accept-Encoding", "gzip"))) {
            assertEquals(200, client.status());
            assertTrue(client.header("Content-Encoding").isEmpty(), "the stream must not be compressed");
            assertTrue(client.awaitCount("connected", 1, WAIT), client::rawText);
            for (int i = 0; i < 5; i++) {
                String id = Http.publish(herald, "nginx.feed", "tick", "\"n" + i + "\"");
                // each event is through nginx before the next one is even published
                String frame = "id: " + id + "\nevent: tick\ndata: n" + i + "\n\n";
                assertTrue(client.awaitRaw(frame, Duration.ofSeconds(3)), () -> "held back by the proxy: " + client.rawText());
                assertEquals(i + 1, client.events("tick").size());
            }
            lastId = client.lastEventId();
        }
        List<String> missed = List.of(Http.publish(herald, "nginx.feed", "tick", "\"m0\""),
                Http.publish(herald, "nginx.feed", "tick", "\"m1\""), Http.publish(herald, "nginx.feed", "tick", "\"m2\""));
        try (SseClient resumed = SseClient.open(proxy, "api/events?channel=nginx.feed", Map.of("Last-Event-ID", lastId))) {
            assertTrue(resumed.awaitCount("tick", 3, WAIT), resumed::rawText);
            List<SseEvent> ticks = resumed.events("tick");
            assertEquals(missed, ticks.stream().map(SseEvent::id).toList(), "exactly the events missed, in order");
            assertEquals(List.of("m0", "m1", "m2"), ticks.stream().map(SseEvent::data).toList());
        }
    }

    @Test
    void heraldSeesTheClientAddressThatNginxForwards(URI herald) throws Exception {
        URI proxy = URI.create("http://127.0.0.1:" + httpPort + "/");
        // the client (here: one that claims an address, as a proxy before nginx would) -> nginx (127.0.0.1, trusted)
        try (SseClient client = SseClient.open(proxy, "api/events?channel=nginx.xff",
                Map.of("X-Forwarded-For", "203.0.113.7", "User-Agent", "behind-nginx"))) {
            assertTrue(client.awaitCount("connected", 1, WAIT), client::rawText);
            String clients = Http.get(herald, "api/clients").body();
            assertTrue(clients.contains("\"remoteAddress\":\"203.0.113.7\""), clients);
        }
    }

    @Test
    void browsersGetTheStreamOverHttp2(URI herald) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting())
                .connectTimeout(WAIT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/api/events?channel=nginx.h2"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("connection").isEmpty(), "no Connection header over HTTP/2");
            assertEquals("retry: 3000", lines.readLine());
            assertEquals("", lines.readLine());
            assertEquals("event: connected", lines.readLine());
        }
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(DIR.resolve("herald.crt"))) {
            trust.setCertificateEntry("herald", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static void run(List<String> command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is missing: install the Debian packages nginx and openssl"
                    + " (.ci/test does)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, () -> command + ": " + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
