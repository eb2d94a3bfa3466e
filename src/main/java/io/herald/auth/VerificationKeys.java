package io.herald.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The keys tokens are verified with: an HMAC secret, PEM public keys, and a JWKS (file or URL, cached and refetched
 * when a token names an unknown {@code kid}), each optional. Each key only verifies the algorithms of its own type,
 * so an {@code RS256} header never meets an HMAC secret. Read once at start; a bad setting stops the deployment.
 */
@ApplicationScoped
public class VerificationKeys {

    private static final Logger LOG = Logger.getLogger(VerificationKeys.class.getName());
    static final int MIN_SECRET_BYTES = 32;

    @Inject
    @ConfigProperty(name = "herald.auth.jwt.secret")
    Optional<String> secret;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.public-key")
    Optional<String> publicKey;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.jwks")
    Optional<String> jwks;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.jwks-cache-ms", defaultValue = "300000")
    long jwksCacheMs;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.jwks-refresh-min-ms", defaultValue = "30000")
    long jwksRefreshMinMs;

    private final List<JWKSource<SecurityContext>> sources = new ArrayList<>();
    private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();

    @PostConstruct
    void load() {
        secret.filter(s -> !s.isBlank()).ifPresent(this::addSecret);
        publicKey.filter(s -> !s.isBlank()).ifPresent(this::addPublicKeys);
        jwks.filter(s -> !s.isBlank()).ifPresent(this::addJwks);
        if (sources.isEmpty()) {
            LOG.warning("No token key configured (herald.auth.jwt.secret, .public-key or .jwks): publishing and"
                    + " admin calls are refused, and only herald.auth.public-channels can be subscribed to");
        }
    }

    /** Fails the deployment at start when a key setting is wrong, instead of at the first request. */
    void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        algorithms();
    }

    private void addSecret(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("herald.auth.jwt.secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (256 bits) for HS256");
        }
        sources.add(new ImmutableJWKSet<>(new JWKSet(new OctetSequenceKey.Builder(bytes).build())));
        algorithms.add(JWSAlgorithm.HS256);
        if (bytes.length >= 48) {
            algorithms.add(JWSAlgorithm.HS384);
        }
        if (bytes.length >= 64) {
            algorithms.add(JWSAlgorithm.HS512);
        }
    }

    private void addPublicKeys(String value) {
        List<JWK> keys = PemPublicKeys.read(value);
        sources.add(new ImmutableJWKSet<>(new JWKSet(keys)));
        algorithms.addAll(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
    }

    private void addJwks(String location) {
        String where = location.trim();
        JWKSourceBuilder<SecurityContext> builder;
        try {
            if (where.startsWith("https://") || where.startsWith("http://")) {
                builder = JWKSourceBuilder.create(new URL(where));
            } else if (where.contains("://") && !where.startsWith("file:")) {
                throw new IllegalStateException("herald.auth.jwt.jwks must be an http(s) URL or a file: " + where);
            } else {
                Path file = where.startsWith("file:") ? Path.of(java.net.URI.create(where)) : Path.of(where);
                if (!java.nio.file.Files.isReadable(file)) {
                    throw new IllegalStateException("herald.auth.jwt.jwks: cannot read the file " + file);
                }
                builder = JWKSourceBuilder.create(file.toUri().toURL(), new JwksFileRetriever());
            }
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("herald.auth.jwt.jwks is neither an http(s) URL nor a file path", e);
        }
        sources.add(builder
                .cache(jwksCacheMs, JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .refreshAheadCache(false) // no background threads of its own: refetch on demand only
                .rateLimited(jwksRefreshMinMs)
                .retrying(false)
                .build());
        algorithms.addAll(JWSAlgorithm.Family.SIGNATURE);
        algorithms.addAll(JWSAlgorithm.Family.HMAC_SHA);
    }

    /** Whether any key is configured; without one no token is ever accepted. */
    public boolean isConfigured() {
        return !sources.isEmpty();
    }

    Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** The keys of every source that match the selector (algorithm family and {@code kid}). */
    JWKSource<SecurityContext> source() {
        return (JWKSelector selector, SecurityContext context) -> {
            List<JWK> found = new ArrayList<>();
            KeySourceException failure = null;
            for (JWKSource<SecurityContext> s : sources) {
                try {
                    found.addAll(s.get(selector, context));
                } catch (KeySourceException e) {
                    failure = e;
                }
            }
            if (found.isEmpty() && failure != null) {
                throw failure;
            }
            return found;
        };
    }
}
