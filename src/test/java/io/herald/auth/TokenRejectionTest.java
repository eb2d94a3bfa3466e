package io.herald.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad token is refused with 401 and a {@code WWW-Authenticate: Bearer error="invalid_token"} challenge, on the
 * stream (header, query parameter and cookie) and on publishing, and no event gets through.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig(secureDefaults = true, value = {
        "herald.auth.jwt.secret=" + TestTokens.SECRET,
        "herald.auth.jwt.issuer=https://issuer.test",
        "herald.auth.jwt.audience=herald",
        "herald.auth.jwt.clock-skew-ms=1000",
        "herald.auth.public-channels=public.**",
        "herald.limits.streams-per-subject=0",
        "herald.heartbeat.interval-ms=60000"})
class TokenRejectionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RSAKey rsa;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).generate();
    }

    static TestTokens.Builder good(String subject) {
        return TestTokens.forSubject(subject).issuer("https://issuer.test").audience("herald")
                .subscribe("secure.**").publish("secure.**");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> badTokens() throws Exception {
        String valid = good("mallory").sign();
        String[] parts = valid.split("\\.");
        String otherSecret = "another-secret-of-at-least-thirty-two-bytes!!";
        return Stream.of(
                Arguments.of("alg none", b64("{\"alg\":\"none\"}") + "." + parts[1] + "."),
                Arguments.of("alg none with a signature", b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2]),
                Arguments.of("wrong signature", good("mallory")
                        .signedWith(new MACSigner(otherSecret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256).sign()),
                Arguments.of("tampered payload", parts[0] + "." + b64("{\"sub\":\"mallory\",\"iss\":\"https://issuer.test\","
                        + "\"aud\":\"herald\",\"exp\":9999999999,\"herald\":{\"subscribe\":[\"**\"],\"publish\":[\"**\"]}}")
                        + "." + parts[2]),
                Arguments.of("RS256 header on an HMAC key", good("mallory").signedWith(new RSASSASigner(rsa), JWSAlgorithm.RS256).sign()),
                Arguments.of("HS512 with a key too short for it", good("mallory").algorithm(JWSAlgorithm.HS512).sign()
                        .replaceFirst("^[^.]+", b64("{\"alg\":\"HS999\"}"))),
                Arguments.of("expired", good("mallory").expiresIn(Duration.ofMinutes(-5)).sign()),
                Arguments.of("not yet valid", good("mallory").notBefore(Instant.now().plus(Duration.ofMinutes(5))).sign()),
                Arguments.of("no expiry", good("mallory").noExpiry().sign()),
                Arguments.of("wrong issuer", good("mallory").issuer("https://evil.test").sign()),
                Arguments.of("wrong audience", good("mallory").audience("someone-else").sign()),
                Arguments.of("no subject", good("").sign()),
                Arguments.of("herald claim not an object", TestTokens.forSubject("mallory").issuer("https://issuer.test")
                        .audience("herald").claim("herald", "everything").sign()),
                Arguments.of("herald.subscribe not a list", TestTokens.forSubject("mallory").issuer("https://issuer.test")
                        .audience("herald").claim("herald", Map.of("subscribe", "**")).sign()),
                Arguments.of("malformed base64", "%%%." + parts[1] + "." + parts[2]),
                Arguments.of("malformed header JSON", b64("{\"alg\":") + "." + parts[1] + "." + parts[2]),
                Arguments.of("malformed claims JSON", parts[0] + "." + b64("[1,2") + "." + parts[2]),
                Arguments.of("two parts", parts[0] + "." + parts[1]),
                Arguments.of("garbage", "not-a-token"),
                Arguments.of("over 8 KiB", good("mallory").claim("pad", "x".repeat(9000)).sign()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusedOnTheStreamWithEveryTokenSource(String name, String token, URI base) throws Exception {
        String channel = "secure.stream";
        for (Map.Entry<String, Map<String, String>> source : Map.of(
                "api/events?channel=" + channel, Map.of("Authorization", "Bearer " + token),
                "api/events?channel=" + channel + "&access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), Map.<String, String>of(),
                "api/events?channel=" + channel + "&x=cookie", Map.of("Cookie", "herald_token=" + token.replace(";", ""))).entrySet()) {
            try (SseClient client = SseClient.open(base, source.getKey(), source.getValue())) {
                assertEquals(401, client.status(), name + " via " + source.getKey());
                String challenge = client.header("WWW-Authenticate").orElse("");
                assertTrue(challenge.startsWith("Bearer realm=\"herald\", error=\"invalid_token\", error_description=\""),
                        challenge);
                assertTrue(client.awaitEnd(WAIT), "a refused stream ends");
                String body = client.rawText();
                assertTrue(body.startsWith("{\"error\":\"invalid_token\",\"message\":"), body);
                assertNoStackTrace(body);
                assertTrue(client.events().isEmpty(), "no event on a refused stream");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusedOnPublishingAndNothingIsDelivered(String name, String token, URI base) throws Exception {
        String channel = "secure.publish";
        try (SseClient watcher = SseClient.open(base, "api/events?channel=" + channel,
                Map.of("Authorization", "Bearer " + good("watcher").sign()))) {
            assertTrue(watcher.awaitCount("connected", 1, WAIT), "watcher connected");
            HttpResponse<String> single = Http.raw(base, "POST", "api/channels/" + channel + "/events",
                    Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"), "{\"data\":\"leak\"}");
            assertEquals(401, single.statusCode(), single.body());
            assertTrue(single.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
            assertNoStackTrace(single.body());
            HttpResponse<String> batch = Http.raw(base, "POST", "api/events",
                    Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                    "[{\"channel\":\"" + channel + "\",\"data\":\"leak\"}]");
            assertEquals(401, batch.statusCode(), batch.body());

            HttpResponse<String> sentinel = Http.raw(base, "POST", "api/channels/" + channel + "/events",
                    Map.of("Authorization", "Bearer " + good("publisher").sign(), "Content-Type", "application/json"),
                    "{\"event\":\"sentinel\",\"data\":1}");
            assertEquals(201, sentinel.statusCode(), sentinel.body());
            assertTrue(watcher.awaitCount("sentinel", 1, WAIT), "the good publish arrives");
            assertEquals(2, watcher.events().stream().filter(e -> !e.type().equals("heartbeat")).count(),
                    () -> "only connected and the sentinel: " + watcher.rawText());
            assertFalse(watcher.rawText().contains("leak"));
        }
    }

    @Test
    void aGoodTokenWorksFromEverySource(URI base) throws Exception {
        String token = good("alice").sign();
        for (Map.Entry<String, Map<String, String>> source : Map.of(
                "api/events?channel=secure.ok", Map.of("Authorization", "Bearer " + token),
                "api/events?channel=secure.ok&access_token=" + token, Map.<String, String>of(),
                "api/events?channel=secure.ok&x=cookie", Map.of("Cookie", "herald_token=" + token)).entrySet()) {
            try (SseClient client = SseClient.open(base, source.getKey(), source.getValue())) {
                assertEquals(200, client.status(), source.getKey());
                assertTrue(client.awaitCount("connected", 1, WAIT), source.getKey());
            }
        }
    }

    @Test
    void aCookieNeverAuthorizesAPublish(URI base) throws Exception {
        HttpResponse<String> r = Http.raw(base, "POST", "api/channels/secure.csrf/events",
                Map.of("Cookie", "herald_token=" + good("alice").sign()), "{\"data\":1}");
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer realm=\"herald\"", r.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void anonymousStreamsOnlyReachPublicChannels(URI base) throws Exception {
        try (SseClient open = SseClient.open(base, "api/events?channel=public.news")) {
            assertEquals(200, open.status());
            assertTrue(open.awaitCount("connected", 1, WAIT));
        }
        try (SseClient closed = SseClient.open(base, "api/events?channel=public.news&channel=secure.x")) {
            assertEquals(401, closed.status());
            assertEquals("Bearer realm=\"herald\"", closed.header("WWW-Authenticate").orElseThrow());
            assertTrue(closed.awaitEnd(WAIT));
            assertTrue(closed.rawText().contains("secure.x"), closed.rawText());
        }
    }

    static void assertNoStackTrace(String body) {
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at io.") || body.contains("at com."),
                () -> "stack trace in: " + body);
    }
}
