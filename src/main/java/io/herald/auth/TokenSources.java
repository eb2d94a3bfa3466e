package io.herald.auth;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a request's token comes from: an {@code Authorization: Bearer} header; on GET only, also an
 * {@code access_token} query parameter (EventSource cannot set headers) or a cookie (EventSource with
 * {@code withCredentials}). Cookies never authorize a POST or DELETE, so another site cannot publish with them.
 */
final class TokenSources {

    static final String QUERY_PARAMETER = "access_token";

    private TokenSources() {
    }

    /** The token text, or null when the request carries none. */
    static String find(HttpServletRequest request, String cookieName) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            return null;
        }
        String query = fromQuery(request.getQueryString());
        if (query != null) {
            return query;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null && cookieName != null && !cookieName.isBlank()) {
            for (Cookie c : cookies) {
                if (cookieName.equals(c.getName()) && c.getValue() != null && !c.getValue().isEmpty()) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    /** Reads the raw query string, never the body (getParameter could consume a form body). */
    static String fromQuery(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(QUERY_PARAMETER + "=")) {
                String raw = pair.substring(QUERY_PARAMETER.length() + 1);
                try {
                    String value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
                    return value.isEmpty() ? null : value;
                } catch (IllegalArgumentException e) {
                    return raw; // undecodable: verification refuses it as malformed
                }
            }
        }
        return null;
    }
}
