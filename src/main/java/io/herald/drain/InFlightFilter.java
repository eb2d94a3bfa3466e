package io.herald.drain;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import io.herald.http.FilterMarks;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
        inFlight.started();
        boolean async = false;
        try {
            chain.doFilter(req, res);
            async = req.isAsyncStarted();
            if (async) { // a publish whose body is still coming (PublishFilter): counted until it has answered
                req.getAsyncContext().addListener(new FinishWhenDone(inFlight));
            }
        } finally {
            if (!async) {
                inFlight.finished();
            }
        }
    }

    /** Ends the count of a request answered asynchronously, however it ends. */
    private static final class FinishWhenDone implements AsyncListener {

        private final InFlightPublishes inFlight;
        private boolean finished;

        FinishWhenDone(InFlightPublishes inFlight) {
            this.inFlight = inFlight;
        }

        private synchronized void finish() {
            if (!finished) {
                finished = true;
                inFlight.finished();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            finish();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // AsyncBody answers the timeout and completes: onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            finish();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
