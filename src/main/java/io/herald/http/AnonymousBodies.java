package io.herald.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests without a token have their body read ahead by {@link RequestBodyFilter}, and up to how much.
 * Herald's own resources refuse such a request before they read its body, so the portable default reads none; a
 * runtime or an application with an endpoint that anyone may post to (the embedded demo profile's login) replaces
 * this bean, so that slow anonymous bodies hold no request thread either.
 */
@ApplicationScoped
public class AnonymousBodies {

    /**
     * The most a body of {@code request}, which carries no valid token, may hold to be read ahead (refused
     * {@code 413} past it), or 0 to leave it to its resource.
     */
    public long readAheadLimit(HttpServletRequest request) {
        return 0;
    }
}
