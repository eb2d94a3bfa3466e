package io.herald.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signed test tokens. {@link #SECRET} is the HMAC key test servers verify with by default; {@link #admin()} may do
 * everything, and {@link #forSubject(String)} builds any other token.
 */
public final class TestTokens {

    /** 64 bytes, so HS256, HS384 and HS512 all work. */
    public static final String SECRET = "herald-test-secret-0123456789abcdef-0123456789abcdef-0123456789ab";

    private TestTokens() {
    }

    /** Subscribe and publish on every channel, and the admin permission. */
    public static String admin() {
        return forSubject("test-admin").subscribe("**").publish("**").permissions("admin").sign();
    }

    public static Builder forSubject(String subject) {
        return new Builder(subject);
    }

    /** A token under construction: a subject, the herald claim, times, and the key it is signed with. */
    public static final class Builder {
        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private final Map<String, Object> herald = new LinkedHashMap<>();
        private JWSAlgorithm alg = JWSAlgorithm.HS256;
        private JWSSigner signer;
        private String keyId;

        Builder(String subject) {
            claims.subject(subject).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
        }

        public Builder subscribe(String... patterns) {
            herald.put("subscribe", List.of(patterns));
            return this;
        }

        public Builder publish(String... patterns) {
            herald.put("publish", List.of(patterns));
            return this;
        }

        public Builder permissions(String... names) {
            herald.put("permissions", List.of(names));
            return this;
        }

        public Builder expiresIn(Duration d) {
            claims.expirationTime(Date.from(Instant.now().plus(d)));
            return this;
        }

        public Builder noExpiry() {
            claims.expirationTime(null);
            return this;
        }

        public Builder notBefore(Instant t) {
            claims.notBeforeTime(Date.from(t));
            return this;
        }

        public Builder issuer(String iss) {
            claims.issuer(iss);
            return this;
        }

        public Builder audience(String aud) {
            claims.audience(aud);
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder algorithm(JWSAlgorithm alg) {
            this.alg = alg;
            return this;
        }

        public Builder signedWith(JWSSigner signer, JWSAlgorithm alg) {
            this.signer = signer;
            this.alg = alg;
            return this;
        }

        public Builder keyId(String kid) {
            this.keyId = kid;
            return this;
        }

        public String sign() {
            if (!herald.isEmpty()) {
                claims.claim("herald", herald);
            }
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).build(), claims.build());
                jwt.sign(signer != null ? signer : new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign a test token", e);
            }
        }
    }
}
