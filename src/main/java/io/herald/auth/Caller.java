package io.herald.auth;

import io.herald.delivery.Viewer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Who is calling: the verified token of the current request, or anonymous. A token that is sent but invalid is
 * refused (401), never treated as anonymous. Verified once per request.
 */
@ApplicationScoped
public class Caller {

    private static final String VERIFIED = Caller.class.getName() + ".token";

    @Inject
    CurrentRequest current;
    @Inject
    TokenVerifier verifier;
    @Inject
    @ConfigProperty(name = "herald.auth.cookie", defaultValue = "herald_token")
    String cookieName;

    /** The current request's token; empty when anonymous or outside a request. */
    public Optional<AccessToken> token() {
        return current.get().flatMap(this::token);
    }

    /** This request's token; empty when it carries none. */
    public Optional<AccessToken> token(HttpServletRequest request) {
        Object cached = request.getAttribute(VERIFIED);
        if (cached instanceof AccessToken t) {
            return Optional.of(t);
        }
        String text = TokenSources.find(request, cookieName);
        if (text == null) {
            return Optional.empty();
        }
        AccessToken token = verifier.verify(text);
        request.setAttribute(VERIFIED, token);
        return Optional.of(token);
    }

    /** The per-event audience view of the current caller. */
    public Viewer viewer() {
        return token().map(AccessToken::viewer).orElse(Viewer.ANONYMOUS);
    }
}
