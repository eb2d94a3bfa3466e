package io.herald.stream;

import io.herald.auth.AccessToken;
import io.herald.auth.Caller;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.delivery.Viewer;
import io.herald.http.RequestContextFilter;
import io.herald.limits.StreamLease;
import io.herald.limits.StreamLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Decides whether a stream request may open and who is watching. A CDI service so that authentication and
 * permission interceptors apply to it: the caller needs subscribe on every channel and pattern, then a slot under
 * the per-subject and per-address stream limits.
 */
@ApplicationScoped
public class StreamAdmission {

    private static final Logger LOG = Logger.getLogger(StreamAdmission.class.getName());

    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

    @Inject
    Caller caller;
    @Inject
    StreamLimits limits;

    /** Returns the viewer, or throws an {@link io.herald.api.ApiException} to refuse (429: temporarily). */
    @RequiresPermission(Right.SUBSCRIBE)
    public Viewer admit(StreamRequest request, HttpServletRequest http) {
        Optional<AccessToken> token = caller.token(http);
        if (http.getAttribute(RequestContextFilter.MARK) != null) {
            StreamLease lease = limits.acquire(token.map(AccessToken::subject).orElse(null), http.getRemoteAddr());
            http.setAttribute(StreamLease.ATTRIBUTE, lease);
        } else if (warned.compareAndSet(false, true)) {
            LOG.warning("herald-request-context filter did not run before the stream: stream limits are off");
        }
        return token.map(AccessToken::viewer).orElse(Viewer.ANONYMOUS);
    }
}
