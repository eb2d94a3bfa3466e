package io.herald.http;

import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import io.herald.auth.Caller;
import io.herald.auth.CurrentRequest;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads the body of a request bound for a JAX-RS resource before the resource runs, without holding a request
 * thread while it comes: an admin's send to one client, a publish that {@code PublishFilter} leaves to JAX-RS, the
 * demo endpoints. JAX-RS reads a body with blocking reads on one of the container's request threads, so a few dozen
 * token holders uploading slowly would take every thread and stall everyone else's requests.
 * <p>
 * A body that is all here already, or a request without a token (which the resources refuse before they read a
 * body), goes straight on. Otherwise the body is read with the servlet's non-blocking input ({@link AsyncBody}: 408
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
        if (!mayHaveBody(request) || !request.isAsyncSupported() || bodyHere(request) || !holdsToken(request)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            response.setHeader("Connection", "close"); // the body is never read
            JsonBody.tooLarge(maxBytes).writeTo(response);
            return;
        }
        String remoteAddr = request.getRemoteAddr();
        String remoteHost = request.getRemoteHost();
        AsyncListener dispatchEnds = Dispatch.of(request).goingAsync();
        AsyncContext async = request.startAsync(request, response);
        async.addListener(dispatchEnds);
        Consumer<byte[]> whenRead = body -> {
            request.setAttribute(BODY, new BufferedBody(body, remoteAddr, remoteHost));
            async.dispatch();
        };
        ServletInputStream in = request.getInputStream();
        if (length < 0) {
            AsyncBody.readToEnd(async, in, maxBytes, bodyTimeoutMs, whenRead);
        } else {
            AsyncBody.read(async, in, (int) length, bodyTimeoutMs, whenRead);
        }
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

    /** Whether a body of a declared length has fully arrived, so reading it cannot block. */
    private static boolean bodyHere(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        return length > 0 && request.getInputStream().available() >= length;
    }

    /**
     * Whether the request carries a valid token. Without one the resources refuse it before they read its body
     * (an invalid one with the same {@code 401}), so it needs no buffer; the anonymous demo login reads its small
     * body as before.
     */
    private boolean holdsToken(HttpServletRequest request) {
        try {
            return caller.token(request).isPresent();
        } catch (ApiException e) {
            return false;
        }
    }
}
