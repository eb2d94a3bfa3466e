package io.herald.auth;

/** What a call needs from the caller's token. */
public enum Right {
    /** Subscribe on every channel or pattern of the call (a public channel needs no token). */
    SUBSCRIBE,
    /** Publish on every channel of the call. */
    PUBLISH,
    /** The {@code admin} permission name. */
    ADMIN
}
