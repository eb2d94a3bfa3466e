package io.herald.http;

import io.herald.api.ApiException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * CORS for the API: answers preflights (publishing, and streams opened with {@code fetch} and an
 * {@code Authorization} header), and adds the allow headers to actual responses, event streams included, for the
 * origins of {@link CorsPolicy}. A refused origin gets no CORS header, so the browser keeps the answer from the page.
 * Must come first among Herald's filters.
 */
@Dependent
@WebFilter(filterName = "herald-cors", urlPatterns = "/api/*", asyncSupported = true)
public class CorsFilter implements Filter {

    @Inject
    CorsPolicy policy;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        FilterMarks.passed(request, CorsFilter.class);
        String origin = request.getHeader("Origin");
        if (!policy.isEnabled() || origin == null) {
            chain.doFilter(req, res);
            return;
        }
        response.addHeader("Vary", "Origin");
        String allowed = policy.allowOrigin(origin);
        boolean preflight = "OPTIONS".equals(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null;
        if (preflight) {
            preflight(request, response, origin, allowed);
            return;
        }
        if (allowed != null) {
            allowHeaders(response, origin, allowed);
            response.setHeader("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate");
        }
        chain.doFilter(req, res);
    }

    private void preflight(HttpServletRequest request, HttpServletResponse response, String origin, String allowed)
            throws IOException {
        String method = request.getHeader("Access-Control-Request-Method");
        String headers = request.getHeader("Access-Control-Request-Headers");
        if (allowed == null || !policy.allowsMethod(method) || !policy.allowsHeaders(headers)) {
            byte[] body = ApiException.body("cors_refused", "This origin, method or header is not allowed by"
                    + " herald.cors.origins").getBytes(StandardCharsets.UTF_8);
            response.setStatus(403);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        allowHeaders(response, origin, allowed);
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID, Accept, "
                + "Cache-Control");
        response.setHeader("Access-Control-Max-Age", String.valueOf(policy.maxAgeSeconds()));
        response.setStatus(204);
    }

    private void allowHeaders(HttpServletResponse response, String origin, String allowed) {
        response.setHeader("Access-Control-Allow-Origin", allowed);
        if (policy.allowCredentials(origin)) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
    }
}
