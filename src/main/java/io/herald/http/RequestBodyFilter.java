package io.herald.http;

import io.herald.api.ApiException;
import io.herald.auth.Caller;
import io.herald.auth.CurrentRequest;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;

/**
 * Reads the body of a request bound for a JAX-RS resource before the resource runs, without holding a request
 * thread while it comes: an admin's send to one client, a publish that {@code PublishFilter} leaves to JAX-RS, the
 * demo endpoints. JAX-RS reads a body with blocking reads on one of the container's request threads, so a few dozen
 * token holders uploading slowly would take every thread and stall everyone else's requests.
 * <p>
 * A body that is all here already, or a request without a token (which the resources refuse before they read a
 * body; {@link AnonymousBodies} names the exceptions, such as the embedded demo login), goes straight on. Otherwise the body is read with the servlet's non-blocking input ({@link AsyncBody}: 408
 * when it stalls, 413 once past {@code herald.publish.max-bytes}), and the request is dispatched again
 * ({@code AsyncContext.dispatch()}, {@link DispatcherType#ASYNC}); on that pass this filter hands the resource the
 * body it holds. It is the last of Herald's filters, so the others see each request once, and is mapped for
 * {@code ASYNC} dispatches as well as requests.
 */
@Dependent
@WebFilter(filterName = "herald-request-body", urlPatterns = "/api/*", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class RequestBodyFilter implements Filter {

    private static final String BODY = RequestBodyFilter.class.getName() + ".body";

    @Inject
    Caller caller;
    @Inject
    CurrentRequest current;
    @Inject
    UnreadBodies unread;
    @Inject
    AnonymousBodies anonymous;
    @Inject
    @ConfigProperty(name = "herald.publish.max-bytes", defaultValue = "65536")
    long maxBytes;
    @Inject
    @ConfigProperty(name = "herald.publish.body-timeout-ms", defaultValue = "30000")
    long bodyTimeoutMs;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            withBody((HttpServletRequest) req, res, chain);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        long limit = !mayHaveBody(request) || !request.isAsyncSupported() || AsyncBody.wholeBodyHere(request) ? 0
                : holdsToken(request) ? maxBytes
                : anonymous.readAheadLimit(request);
        if (limit <= 0) {
            // asked before the chain: after it, only a runtime that asks for the drain has the request touched
            long discard = mayHaveBody(request) && request.isAsyncSupported() ? unread.discardAfterRefusal(request) : 0;
            chain.doFilter(req, res);
            if (discard > 0) {
                AsyncBody.drainIfRefusedUnread(request, (HttpServletResponse) res, discard, bodyTimeoutMs);
            }
            return;
        }
        String remoteAddr = request.getRemoteAddr();
        String remoteHost = request.getRemoteHost();
        AsyncBody.readAhead(request, (HttpServletResponse) res, limit, bodyTimeoutMs, unread, (async, body) -> {
            request.setAttribute(BODY, new BufferedBody(body, remoteAddr, remoteHost));
            async.dispatch();
        });
    }

    /** The second pass: the resource gets the body read on the first, and the interceptors the request. */
    private void withBody(HttpServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getAttribute(BODY) instanceof BufferedBody body)) {
            chain.doFilter(request, response);
            return;
        }
        request.removeAttribute(BODY);
        HttpServletRequest withBody = body.wrap(request);
        current.set(withBody); // the request-context filter ran on the first pass only
        try {
            chain.doFilter(withBody, response);
        } finally {
            current.clear();
        }
    }

    /** Whether the method carries a body that a resource reads: POST, PUT and PATCH. */
    private static boolean mayHaveBody(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
            return false;
        }
        // HTTP/1.x has a body only with a length or a transfer coding; HTTP/2 may send one with neither
        return request.getContentLengthLong() != 0 && (request.getContentLengthLong() > 0
                || request.getHeader("Transfer-Encoding") != null || !request.getProtocol().startsWith("HTTP/1"));
    }

    /**
     * Whether the request carries a valid token. Without one the resources refuse it before they read its body
     * (an invalid one with the same {@code 401}), so it needs no buffer, unless {@link AnonymousBodies} says
     * otherwise.
     */
    private boolean holdsToken(HttpServletRequest request) {
        try {
            return caller.token(request).isPresent();
        } catch (ApiException e) {
            return false;
        }
    }
}
