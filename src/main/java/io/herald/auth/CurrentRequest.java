package io.herald.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * The servlet request being handled on this thread, captured by {@link RequestContextFilter}, so interceptors can
 * find the caller's token wherever the call comes from. Empty outside a request: in-process callers are anonymous.
 */
@ApplicationScoped
public class CurrentRequest {

    private final ThreadLocal<HttpServletRequest> current = new ThreadLocal<>();

    public Optional<HttpServletRequest> get() {
        return Optional.ofNullable(current.get());
    }

    public void set(HttpServletRequest request) {
        current.set(request);
    }

    public void clear() {
        current.remove();
    }
}
