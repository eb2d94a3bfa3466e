package io.herald.http;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may call Herald ({@code herald.cors.origins}: exact origins, or {@code *} only when
 * {@code herald.cors.credentials} is off), with which methods and headers.
 */
@ApplicationScoped
public class CorsPolicy {

    static final Set<String> METHODS = Set.of("GET", "POST", "DELETE");
    static final Set<String> HEADERS = Set.of("authorization", "content-type", "last-event-id", "accept",
            "cache-control");

    @Inject
    @ConfigProperty(name = "herald.cors.origins")
    Optional<String> originsConfig;
    @Inject
    @ConfigProperty(name = "herald.cors.credentials", defaultValue = "false")
    boolean credentials;
    @Inject
    @ConfigProperty(name = "herald.cors.max-age-seconds", defaultValue = "600")
    int maxAgeSeconds;

    private Set<String> origins = Set.of();
    private boolean any;

    /** Reads the settings at start, so a wrong one stops the deployment instead of failing requests. */
    void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // observing creates the bean, which runs init()
    }

    @PostConstruct
    void init() {
        origins = originsConfig.map(text -> Arrays.stream(text.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        any = origins.contains("*");
        if (any && credentials) {
            throw new IllegalStateException("herald.cors.origins may be '*' only when herald.cors.credentials is"
                    + " false: list the exact origins instead");
        }
    }

    public boolean isEnabled() {
        return !origins.isEmpty();
    }

    /** The Access-Control-Allow-Origin value for this origin, or null when it is refused. */
    String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (origins.contains(origin)) {
            return origin;
        }
        return any ? "*" : null;
    }

    /** Credentials are allowed only for an origin listed exactly. */
    boolean allowCredentials(String origin) {
        return credentials && origin != null && origins.contains(origin);
    }

    boolean allowsMethod(String method) {
        return method != null && METHODS.contains(method.trim().toUpperCase(Locale.ROOT));
    }

    /** Whether every header of an Access-Control-Request-Headers list is allowed. */
    boolean allowsHeaders(String requested) {
        if (requested == null || requested.isBlank()) {
            return true;
        }
        for (String h : requested.split(",")) {
            String name = h.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !HEADERS.contains(name)) {
                return false;
            }
        }
        return true;
    }

    int maxAgeSeconds() {
        return maxAgeSeconds;
    }
}
