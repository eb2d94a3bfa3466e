package io.herald.http;

import jakarta.servlet.ServletRequest;

/**
 * Which of Herald's servlet filters a request has passed. A request served by a filter rather than a servlet (a
 * publish, served by {@code PublishFilter}) must first have passed the filters that every servlet's request passes
 * (CORS, the request context, the in-flight count, the auth-failure metric). Herald's {@code web.xml} and the
 * embedded server fix that order; an enterprise app that takes Herald's filters from their annotations alone leaves
 * it to the container, and then such a request goes on to the servlet instead.
 */
public final class FilterMarks {

    private FilterMarks() {
    }

    /** Records that {@code filter} has seen this request. */
    public static void passed(ServletRequest request, Class<?> filter) {
        request.setAttribute(filter.getName(), Boolean.TRUE);
    }

    /** Whether every one of {@code filters} has seen this request. */
    public static boolean allPassed(ServletRequest request, Class<?>... filters) {
        for (Class<?> filter : filters) {
            if (request.getAttribute(filter.getName()) == null) {
                return false;
            }
        }
        return true;
    }
}
