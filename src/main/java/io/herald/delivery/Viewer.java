package io.herald.delivery;

import io.herald.event.Audience;

import java.util.Set;

/**
 * Who is on the other end of a stream or poll, as far as per-event audiences go.
 *
 * @param subject     the token subject, or null when anonymous
 * @param permissions the permission names the token grants
 * @param grants      decides whether the token grants subscribe on a channel (for private events)
 * @param expiresAtMillis when the token expires (epoch ms; {@link Long#MAX_VALUE} for never): its stream closes then
 */
public record Viewer(String subject, Set<String> permissions, SubscribeGrant grants, long expiresAtMillis) {

    public static final Viewer ANONYMOUS = new Viewer(null, Set.of(), channel -> false);

    public Viewer(String subject, Set<String> permissions, SubscribeGrant grants) {
        this(subject, permissions, grants, Long.MAX_VALUE);
    }

    /** Whether the token names a channel among its subscribe grants. */
    @FunctionalInterface
    public interface SubscribeGrant {
        boolean covers(String channel);
    }

    /** Whether the token has an expiry at all (anonymous callers and tokens without {@code exp} have none). */
    public boolean expires() {
        return expiresAtMillis != Long.MAX_VALUE;
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    /** Whether this viewer may receive an event with this audience on this channel. */
    public boolean mayReceive(Audience audience, String channel) {
        if (audience.isEveryone()) {
            return true;
        }
        if (audience.privateEvent() && (isAnonymous() || !grants.covers(channel))) {
            return false;
        }
        return audience.permission() == null || permissions.contains(audience.permission());
    }
}
