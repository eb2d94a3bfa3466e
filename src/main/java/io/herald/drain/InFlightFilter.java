package io.herald.drain;

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
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;

/** Counts publishing and other changing API requests in {@link InFlightPublishes}; reads pass straight through. */
@Dependent
@WebFilter(filterName = "herald-in-flight", urlPatterns = "/api/*", asyncSupported = true)
public class InFlightFilter implements Filter {

    @Inject
    InFlightPublishes inFlight;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        FilterMarks.passed(req, InFlightFilter.class);
        String method = ((HttpServletRequest) req).getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            chain.doFilter(req, res);
            return;
        }
        Dispatch dispatch = Dispatch.of(req);
        dispatch.whenAsyncEnds(inFlight::finished); // a publish whose body is still coming: counted until it answers
        inFlight.started();
        try {
            chain.doFilter(req, res);
        } finally {
            if (!dispatch.isAsync()) {
                inFlight.finished();
            }
        }
    }
}
