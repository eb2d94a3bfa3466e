package io.herald.http;

import io.herald.auth.CurrentRequest;
import io.herald.limits.StreamLease;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;

/**
 * Runs in front of every API request: replaces the remote address with the real client's when the request comes
 * through a trusted proxy, makes the request visible to Herald's CDI interceptors ({@link CurrentRequest}), and
 * releases a stream's limit slot when its response ends. Must come before {@code herald-event-stream}.
 */
@Dependent
@WebFilter(filterName = "herald-request-context", urlPatterns = "/api/*", asyncSupported = true)
public class RequestContextFilter implements Filter {

    /** Set on requests that passed through this filter, so admission knows leases will be released. */
    public static final String MARK = RequestContextFilter.class.getName();

    @Inject
    CurrentRequest current;
    @Inject
    TrustedProxies proxies;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = withClientAddress((HttpServletRequest) req);
        request.setAttribute(MARK, Boolean.TRUE);
        Dispatch dispatch = Dispatch.of(request);
        current.set(request);
        try {
            chain.doFilter(request, res);
        } finally {
            current.clear();
            if (!dispatch.isAsync()) { // an async publish holds no lease, and its request may be recycled already
                releaseLeaseWhenDone(request);
            }
        }
    }

    private HttpServletRequest withClientAddress(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        String client = proxies.clientAddress(remote, request.getHeaders("X-Forwarded-For"));
        if (client == null || client.equals(remote)) {
            return request;
        }
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getRemoteAddr() {
                return client;
            }

            @Override
            public String getRemoteHost() {
                return client;
            }
        };
    }

    /** A lease still on the request was not handed to a stream (refused or failed before it opened): give it back. */
    private static void releaseLeaseWhenDone(HttpServletRequest request) {
        if (request.getAttribute(StreamLease.ATTRIBUTE) instanceof StreamLease lease) {
            lease.release();
        }
    }
}
