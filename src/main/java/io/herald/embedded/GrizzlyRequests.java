package io.herald.embedded;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.servlet.HttpServletRequestImpl;

/** Grizzly's own request behind a servlet request and its wrappers. */
final class GrizzlyRequests {

    private GrizzlyRequests() {
    }

    /** Grizzly's request under {@code request}, or null when it is not one of Grizzly's servlet requests. */
    static Request of(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper wrapper) {
            r = wrapper.getRequest();
        }
        return r instanceof HttpServletRequestImpl impl ? impl.getRequest() : null;
    }
}
