package io.herald.transport;

import io.herald.embedded.HeraldServer;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the embedded listener: a self-signed certificate generated on first start, a real handshake that
 * negotiates HTTP/2, plain HTTP redirected to HTTPS, and a PEM certificate and key as the other key source.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.tls.self-signed=true", "herald.tls.keystore=target/test-tls/tls-test.p12",
        "herald.tls.password=test-secret", "herald.https.port=0", "herald.limits.publish-per-second=0"})
class TlsTest {

    static final Path KEYSTORE = Path.of("target/test-tls/tls-test.p12");

    @Test
    void selfSignedCertificateIsGeneratedOnFirstStartAndKeptAfter() throws Exception {
        Path fresh = Files.createTempDirectory(Path.of("target"), "tls-first-start").resolve("demo.p12");
        Map<String, String> config = Map.of("herald.http.port", "0", "herald.https.port", "0",
                "herald.http.host", "127.0.0.1", "herald.tls.self-signed", "true", "herald.tls.keystore", fresh.toString());
        Map<String, String> noSelfSigned = Map.of("herald.http.port", "0", "herald.https.port", "0",
                "herald.http.host", "127.0.0.1", "herald.tls.enabled", "true", "herald.tls.keystore", fresh.toString());
        java.io.IOException refused = assertThrows(java.io.IOException.class, () -> HeraldServer.start(noSelfSigned));
        assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
        assertFalse(Files.exists(fresh), "no certificate is made unless herald.tls.self-signed allows it");
        Certificate first;
        try (HeraldServer s = HeraldServer.start(config)) {
            assertTrue(Files.exists(fresh), "generated on first start");
            first = KeyStore.getInstance(fresh.toFile(), "changeit".toCharArray()).getCertificate("herald");
        }
        try (HeraldServer s = HeraldServer.start(config)) {
            Certificate second = KeyStore.getInstance(fresh.toFile(), "changeit".toCharArray()).getCertificate("herald");
            assertEquals(first, second, "the second start reuses the certificate instead of making a new one");
        }
    }

    @Test
    void handshakeNegotiatesHttp2WithTheGeneratedCertificate(HeraldServer server) throws Exception {
        assertEquals("https", server.baseUri().getScheme());
        HttpClient client = TlsClients.client(KEYSTORE, "test-secret", HttpClient.Version.HTTP_2);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.baseUri().resolve("health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(HttpClient.Version.HTTP_2, r.version(), "ALPN chose h2");
        assertTrue(r.sslSession().isPresent());
        assertTrue(r.sslSession().get().getProtocol().startsWith("TLSv1."), r.sslSession().get().getProtocol());
    }

    @Test
    void concurrentHttp2PublishesWithBodiesInManyFramesAreEachAnsweredOnce(HeraldServer server) throws Exception {
        // bodies larger than a DATA frame, 60 streams at a time on one connection, half of them without a
        // content-length (read to their end): the publish filter reads them without a thread, and a request that ends on another thread before its dispatch has returned must still
        // be answered (Grizzly recycled it under the filters still running: 500s, found with this load)
        HttpClient client = TlsClients.client(KEYSTORE, "test-secret", HttpClient.Version.HTTP_2);
        String body = "{\"data\":\"" + "b".repeat(20_000) + "\"}";
        String token = "Bearer " + io.herald.testing.TestTokens.admin();
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(60);
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            window.acquire();
            HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve("api/channels/h2load.c" + (i % 7)
                            + "/events")).header("Authorization", token).header("Content-Type", "application/json")
                    .POST(i % 2 == 0 ? HttpRequest.BodyPublishers.ofString(body)
                            : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) // no content-length
                    .build();
            sent.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> window.release()));
        }
        for (var future : sent) {
            HttpResponse<String> r = future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals(201, r.statusCode(), r.body());
            ids.add(r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
        }
        assertEquals(300, ids.size(), "each publish made its own event");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused(HeraldServer server) {
        HttpClient untrusting = HttpClient.newHttpClient();
        assertThrows(SSLHandshakeException.class, () -> untrusting.send(
                HttpRequest.newBuilder(server.baseUri().resolve("health/live")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void plainHttpIsRedirectedToHttpsKeepingPathQueryAndMethod(HeraldServer server) throws Exception {
        URI plain = server.redirectUri().orElseThrow();
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(plain.resolve("api/events?channel=a.b&x=1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(308, get.statusCode());
        String https = "https://" + plain.getHost() + ":" + server.port();
        assertEquals(https + "/api/events?channel=a.b&x=1", get.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(plain.resolve("api/channels/c/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(308, post.statusCode(), "308 keeps the POST a POST");
        assertEquals(https + "/api/channels/c/events", post.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void pemCertificateAndKeyServeTheSameWay() throws Exception {
        KeyStore store = KeyStore.getInstance(KEYSTORE.toFile(), "test-secret".toCharArray());
        Certificate cert = store.getCertificate("herald");
        Key key = store.getKey("herald", "test-secret".toCharArray());
        Path dir = Files.createDirectories(Path.of("target/test-tls/pem"));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        try (HeraldServer pemServer = HeraldServer.start(Map.of("herald.http.port", "0", "herald.https.port", "0",
                "herald.http.host", "127.0.0.1", "herald.tls.cert", certFile.toString(),
                "herald.tls.key", keyFile.toString()))) {
            HttpClient client = TlsClients.client(KEYSTORE, "test-secret", HttpClient.Version.HTTP_1_1);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(pemServer.baseUri().resolve("health/live"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(cert, r.sslSession().orElseThrow().getPeerCertificates()[0]);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
