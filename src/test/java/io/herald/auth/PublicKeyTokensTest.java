package io.herald.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.herald.embedded.HeraldServer;
import io.herald.testing.Http;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RS256/ES256 tokens verified with a PEM public key, and with a JWKS file refetched for an unknown kid. */
class PublicKeyTokensTest {

    private static HttpResponse<String> publish(HeraldServer server, String token) throws Exception {
        return Http.raw(server.baseUri(), "POST", "api/channels/keys/events",
                Map.of("Authorization", "Bearer " + token), "{\"data\":1}");
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void pemPublicKeys(@TempDir Path dir) throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        Path file = dir.resolve("keys.pem");
        Files.writeString(file, pem(ec.toECPublicKey()) + pem(rsa.toRSAPublicKey()));
        try (HeraldServer server = HeraldServer.start(Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1",
                "herald.auth.jwt.public-key", file.toString()))) {
            String es = TestTokens.forSubject("svc").publish("keys").signedWith(new ECDSASigner(ec), JWSAlgorithm.ES256).sign();
            String rs = TestTokens.forSubject("svc").publish("keys").signedWith(new RSASSASigner(rsa), JWSAlgorithm.RS256).sign();
            assertEquals(201, publish(server, es).statusCode());
            assertEquals(201, publish(server, rs).statusCode());
            HttpResponse<String> hmac = publish(server, TestTokens.forSubject("svc").publish("keys").sign());
            assertEquals(401, hmac.statusCode(), "an HS256 header never meets a public key");
            assertTrue(hmac.body().contains("HS256"), hmac.body());
        }
    }

    @Test
    void jwksFileIsRefetchedForAnUnknownKeyId(@TempDir Path dir) throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey second = new RSAKeyGenerator(2048).keyID("k2").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(first.toPublicJWK()).toString());
        try (HeraldServer server = HeraldServer.start(Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1",
                "herald.auth.jwt.jwks", jwks.toString(), "herald.auth.jwt.jwks-refresh-min-ms", "0"))) {
            String one = TestTokens.forSubject("svc").publish("keys").keyId("k1")
                    .signedWith(new RSASSASigner(first), JWSAlgorithm.RS256).sign();
            String two = TestTokens.forSubject("svc").publish("keys").keyId("k2")
                    .signedWith(new RSASSASigner(second), JWSAlgorithm.RS256).sign();
            assertEquals(201, publish(server, one).statusCode());
            assertEquals(401, publish(server, two).statusCode(), "k2 is not published yet");

            Files.writeString(jwks, new JWKSet(java.util.List.of(first.toPublicJWK(), second.toPublicJWK())).toString());
            assertEquals(201, publish(server, two).statusCode(), "the rotated key is fetched on its unknown kid");
            assertEquals(201, publish(server, one).statusCode());
        }
    }
}
