package io.herald.stream;

import io.herald.delivery.Viewer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a stream request may open and who is watching. A CDI service so that authentication and
 * permission interceptors apply to it.
 */
@ApplicationScoped
public class StreamAdmission {

    /** Returns the viewer, or throws an {@link io.herald.api.ApiException} to refuse. */
    public Viewer admit(StreamRequest request, HttpServletRequest http) {
        return Viewer.ANONYMOUS;
    }
}
