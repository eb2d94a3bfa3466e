package io.herald.auth;

import io.herald.api.ApiException;

import java.util.Map;

/** The refusals of authentication and authorization, with the headers RFC 6750 asks for. */
public final class AuthErrors {

    static final String REALM = "herald";

    private AuthErrors() {
    }

    /** 401 for a token that was sent but cannot be accepted; the description never quotes the token. */
    public static ApiException invalidToken(String description) {
        String challenge = "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\""
                + description.replace('"', '\'') + "\"";
        return new ApiException(401, "invalid_token", description, Map.of("WWW-Authenticate", challenge));
    }

    /** 401 for a call that needs a token and came without one. */
    public static ApiException tokenRequired(String message) {
        return new ApiException(401, "unauthorized", message,
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    /** 403: the token is fine but does not grant this. */
    public static ApiException forbidden(String error, String message) {
        return new ApiException(403, error, message, Map.of("WWW-Authenticate",
                "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\""));
    }
}
