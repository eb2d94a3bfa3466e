package io.herald.auth;

import io.herald.delivery.Viewer;

import java.util.Set;

/**
 * A verified token: its subject, expiry, and the rights of its {@code herald} claim.
 *
 * @param subject         the {@code sub} claim
 * @param expiresAtMillis the {@code exp} claim in epoch ms, or {@link Long#MAX_VALUE} without one
 * @param subscribe       the {@code herald.subscribe} patterns, {@code {sub}} replaced
 * @param publish         the {@code herald.publish} patterns, {@code {sub}} replaced
 * @param permissions     the {@code herald.permissions} names
 */
public record AccessToken(String subject, long expiresAtMillis, GrantPatterns subscribe, GrantPatterns publish,
                          Set<String> permissions) {

    public static final String ADMIN = "admin";

    public AccessToken {
        permissions = Set.copyOf(permissions);
    }

    public boolean hasPermission(String name) {
        return permissions.contains(name);
    }

    /** The per-event audience view of this token, for streams and polls. */
    public Viewer viewer() {
        return new Viewer(subject, permissions, subscribe::coversChannel, expiresAtMillis);
    }
}
