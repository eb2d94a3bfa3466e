package io.herald.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.herald.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.Key;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies a JWT and reads Herald's rights from it. Refuses, with a 401 saying why and never a stack trace:
 * unsigned ({@code alg: none}) and encrypted tokens, algorithms the configured keys do not have, bad signatures,
 * expired or not-yet-valid tokens, the wrong issuer or audience, malformed base64 or JSON, and tokens over 8 KiB.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());
    public static final int MAX_TOKEN_CHARS = 8192;
    static final String CLAIM = "herald";

    @Inject
    VerificationKeys keys;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.issuer")
    Optional<String> issuer;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.audience")
    Optional<String> audience;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.clock-skew-ms", defaultValue = "30000")
    long clockSkewMs;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.require-expiry", defaultValue = "true")
    boolean requireExpiry;

    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    /** Tokens already verified, until they expire: publishers send the same token with every request. */
    private final java.util.Map<String, AccessToken> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED = 10_000;

    public AccessToken verify(String token) {
        AccessToken known = verified.get(token);
        if (known != null) {
            if (System.currentTimeMillis() < known.expiresAtMillis()) {
                return known;
            }
            verified.remove(token);
        }
        AccessToken fresh = verifyNow(token);
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.put(token, fresh);
        return fresh;
    }

    private AccessToken verifyNow(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw AuthErrors.invalidToken("The token is larger than 8 KiB");
        }
        if (!keys.isConfigured()) {
            throw AuthErrors.invalidToken("This server has no key configured to verify tokens");
        }
        SignedJWT jwt = parse(token);
        checkSignature(jwt);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AuthErrors.invalidToken("The token's claims are not a JSON object");
        }
        long expiresAt = checkTimes(claims);
        checkIssuerAndAudience(claims);
        String subject = claims.getSubject();
        if (subject == null || subject.isEmpty()) {
            throw AuthErrors.invalidToken("The token has no subject (sub)");
        }
        return rights(claims, subject, expiresAt);
    }

    private static SignedJWT parse(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.trim());
        } catch (ParseException | RuntimeException e) {
            throw AuthErrors.invalidToken("The token is malformed (not base64url-encoded JSON in JWS compact form)");
        }
        if (jwt instanceof PlainJWT) {
            throw AuthErrors.invalidToken("Unsigned tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw AuthErrors.invalidToken("Encrypted tokens are not accepted; send a signed JWT");
        }
        return signed;
    }

    private void checkSignature(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!keys.algorithms().contains(alg)) {
            throw AuthErrors.invalidToken("The algorithm " + alg + " is not accepted with the configured keys");
        }
        List<Key> candidates;
        try {
            candidates = new JWSVerificationKeySelector<SecurityContext>(alg, keys.source()).selectJWSKeys(header, null);
        } catch (KeySourceException e) {
            LOG.log(Level.WARNING, "Token keys could not be loaded", e);
            throw new ApiException(503, "keys_unavailable", "The token keys cannot be loaded right now; try again",
                    Map.of("Retry-After", "5"));
        }
        if (candidates.isEmpty()) {
            throw AuthErrors.invalidToken("No configured key matches the token's algorithm " + alg
                    + (header.getKeyID() == null ? "" : " and key id"));
        }
        for (Key key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return;
                }
            } catch (JOSEException | RuntimeException e) {
                LOG.log(Level.FINE, "Token verification failed with one key", e);
            }
        }
        throw AuthErrors.invalidToken("The token signature is invalid");
    }

    private long checkTimes(JWTClaimsSet claims) {
        long now = System.currentTimeMillis();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null && requireExpiry) {
            throw AuthErrors.invalidToken("The token has no expiry (exp)");
        }
        if (exp != null && now > exp.getTime() + clockSkewMs) {
            throw AuthErrors.invalidToken("The token has expired");
        }
        if (nbf != null && now + clockSkewMs < nbf.getTime()) {
            throw AuthErrors.invalidToken("The token is not valid yet (nbf)");
        }
        return exp == null ? Long.MAX_VALUE : exp.getTime() + clockSkewMs;
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims) {
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw AuthErrors.invalidToken("The token's issuer (iss) is not accepted");
        }
        if (audience.isPresent() && (claims.getAudience() == null || !claims.getAudience().contains(audience.get()))) {
            throw AuthErrors.invalidToken("The token's audience (aud) does not include this server");
        }
    }

    private static AccessToken rights(JWTClaimsSet claims, String subject, long expiresAt) {
        Object herald = claims.getClaim(CLAIM);
        if (herald == null) {
            return new AccessToken(subject, expiresAt, GrantPatterns.NONE, GrantPatterns.NONE, java.util.Set.of());
        }
        if (!(herald instanceof Map<?, ?> map)) {
            throw AuthErrors.invalidToken("The herald claim must be a JSON object");
        }
        return new AccessToken(subject, expiresAt,
                GrantPatterns.of(strings(map, "subscribe"), subject),
                GrantPatterns.of(strings(map, "publish"), subject),
                java.util.Set.copyOf(strings(map, "permissions")));
    }

    private static List<String> strings(Map<?, ?> claim, String member) {
        Object value = claim.get(member);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > 1000) {
            throw AuthErrors.invalidToken("herald." + member + " must be a list of strings");
        }
        for (Object item : list) {
            if (!(item instanceof String)) {
                throw AuthErrors.invalidToken("herald." + member + " must be a list of strings");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) list;
        return strings;
    }
}
