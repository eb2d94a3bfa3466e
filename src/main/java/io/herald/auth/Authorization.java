package io.herald.auth;

import io.herald.channel.ChannelName;
import io.herald.channel.ChannelPattern;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * Herald's access rules. Subscribing needs a token whose {@code herald.subscribe} patterns cover the request, unless
 * a pattern of {@code herald.auth.public-channels} covers it; publishing needs {@code herald.publish}; admin calls
 * need the {@code admin} permission. Anonymous callers get 401, callers whose token lacks the right 403.
 */
@ApplicationScoped
public class Authorization {

    @Inject
    VerificationKeys keys;
    @Inject
    @ConfigProperty(name = "herald.auth.public-channels")
    Optional<String> publicChannelsConfig;

    private GrantPatterns publicChannels = GrantPatterns.NONE;

    @PostConstruct
    void init() {
        publicChannelsConfig.ifPresent(text -> publicChannels = GrantPatterns.of(
                Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(), null));
    }

    public boolean isPublic(ChannelPattern requested) {
        return publicChannels.covers(requested);
    }

    public boolean maySubscribe(Optional<AccessToken> token, ChannelPattern requested) {
        return isPublic(requested) || token.map(t -> t.subscribe().covers(requested)).orElse(false);
    }

    public void requireSubscribe(Optional<AccessToken> token, Collection<ChannelPattern> requested) {
        for (ChannelPattern p : requested) {
            if (!maySubscribe(token, p)) {
                if (token.isEmpty()) {
                    throw AuthErrors.tokenRequired("Subscribing to '" + ChannelName.printable(p.text())
                            + "' needs a token: it is not a public channel");
                }
                throw AuthErrors.forbidden("channel_forbidden", "The token does not grant subscribe on '"
                        + ChannelName.printable(p.text()) + "'" + (p.isLiteral() ? ""
                        : " (a pattern needs one subscribe grant covering every channel it can match)"));
            }
        }
    }

    public void requirePublish(Optional<AccessToken> token, Collection<ChannelPattern> channels) {
        AccessToken t = requireToken(token, "Publishing needs a token");
        for (ChannelPattern p : channels) {
            if (!t.publish().covers(p)) {
                throw AuthErrors.forbidden("channel_forbidden", "The token does not grant publish on '"
                        + ChannelName.printable(p.text()) + "'");
            }
        }
    }

    public void requirePermission(Optional<AccessToken> token, String permission) {
        AccessToken t = requireToken(token, "This call needs a token with the '" + permission + "' permission");
        if (!t.hasPermission(permission)) {
            throw AuthErrors.forbidden("permission_required", "This call needs the '" + permission + "' permission");
        }
    }

    public AccessToken requireToken(Optional<AccessToken> token, String message) {
        return token.orElseThrow(() -> AuthErrors.tokenRequired(keys.isConfigured() ? message
                : message + "; this server has no key configured (set herald.auth.jwt.secret, "
                        + "herald.auth.jwt.public-key or herald.auth.jwt.jwks)"));
    }
}
