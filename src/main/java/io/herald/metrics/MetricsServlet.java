package io.herald.metrics;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the Prometheus scrape, outside {@code /api} so the WAR and the embedded server agree. */
@Dependent
@WebServlet(name = "herald-metrics", urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    @Inject
    HeraldMetrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accept = request.getHeader("Accept");
        byte[] body = metrics.scrape(accept).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(metrics.contentType(accept));
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
