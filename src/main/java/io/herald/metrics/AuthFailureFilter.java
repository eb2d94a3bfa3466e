package io.herald.metrics;

import io.herald.http.Dispatch;
import io.herald.http.FilterMarks;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts every API request refused with 401 or 403, by reason: the {@code error} of its {@code WWW-Authenticate}
 * challenge (RFC 6750: invalid_token, insufficient_scope...), else {@code missing_token} or {@code forbidden}.
 * It looks only at the answer, so it counts refusals from JAX-RS resources and servlet filters alike.
 */
@Dependent
@WebFilter(filterName = "herald-auth-failures", urlPatterns = "/api/*", asyncSupported = true)
public class AuthFailureFilter implements Filter {

    private static final Pattern ERROR = Pattern.compile("error=\"?([A-Za-z0-9_.-]+)");

    @Inject
    HeraldMetrics metrics;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        FilterMarks.passed(req, AuthFailureFilter.class);
        Dispatch dispatch = Dispatch.of(req);
        chain.doFilter(req, res);
        if (dispatch.isAsync()) {
            return; // refused callers are answered before a publish goes async; its response may be recycled already
        }
        HttpServletResponse response = (HttpServletResponse) res;
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            metrics.countAuthFailure(reason(status, response.getHeader("WWW-Authenticate")));
        }
    }

    static String reason(int status, String challenge) {
        if (challenge != null) {
            Matcher m = ERROR.matcher(challenge);
            if (m.find()) {
                return m.group(1);
            }
        }
        return status == 401 ? "missing_token" : "forbidden";
    }
}
