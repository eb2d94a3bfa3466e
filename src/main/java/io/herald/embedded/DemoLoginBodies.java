package io.herald.embedded;

import io.herald.http.AnonymousBodies;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In the demo profile, the body of an anonymous {@code POST /api/demo/login} is read ahead without a thread like a
 * token holder's, up to {@link DemoLoginResource#MAX_BODY} bytes: anyone may post it, and its resource reads what
 * it is given with blocking reads.
 */
@ApplicationScoped
@Alternative
@Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
public class DemoLoginBodies extends AnonymousBodies {

    @Inject
    @ConfigProperty(name = DemoProfile.KEY, defaultValue = "prod")
    String profile;

    @Override
    public long readAheadLimit(HttpServletRequest request) {
        boolean login = DemoProfile.NAME.equals(profile) && "POST".equals(request.getMethod())
                && request.getRequestURI().equals(request.getContextPath() + "/api/demo/login");
        return login ? DemoLoginResource.MAX_BODY : 0;
    }
}
