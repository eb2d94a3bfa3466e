package io.herald.embedded;

import io.herald.api.Jsons;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /health}, {@code /health/live} and {@code /health/ready} for the embedded runtime, which has no
 * MicroProfile Health implementation: runs the same {@code @Liveness} and {@code @Readiness} checks an application
 * server would and answers in the MicroProfile Health format, 200 when all are UP, else 503.
 */
final class HealthEndpoints extends HttpServlet {

    private final transient WeldContainer cdi;

    HealthEndpoints(WeldContainer cdi) {
        this.cdi = cdi;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        List<HealthCheckResponse> results = new ArrayList<>();
        switch (path) {
            case "/", "" -> {
                run(Liveness.Literal.INSTANCE, results);
                run(Readiness.Literal.INSTANCE, results);
            }
            case "/live" -> run(Liveness.Literal.INSTANCE, results);
            case "/ready" -> run(Readiness.Literal.INSTANCE, results);
            default -> {
                response.sendError(404);
                return;
            }
        }
        boolean up = results.stream().allMatch(r -> r.getStatus() == HealthCheckResponse.Status.UP);
        JsonArrayBuilder checks = Jsons.JSON.createArrayBuilder();
        for (HealthCheckResponse r : results) {
            JsonObjectBuilder check = Jsons.JSON.createObjectBuilder().add("name", r.getName())
                    .add("status", r.getStatus().name());
            r.getData().filter(d -> !d.isEmpty()).ifPresent(d -> check.add("data", data(d)));
            checks.add(check);
        }
        byte[] body = Jsons.JSON.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", checks).build()
                .toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(up ? 200 : 503);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void run(Annotation kind, List<HealthCheckResponse> results) {
        Instance<HealthCheck> checks = cdi.select(HealthCheck.class, Any.Literal.INSTANCE).select(kind);
        for (HealthCheck check : checks) {
            try {
                results.add(check.call());
            } catch (RuntimeException e) {
                results.add(new HealthCheckResponse(check.getClass().getSimpleName(), HealthCheckResponse.Status.DOWN,
                        java.util.Optional.of(Map.of("error", String.valueOf(e.getMessage())))));
            }
        }
    }

    private static JsonObjectBuilder data(Map<String, Object> data) {
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder();
        data.forEach((k, v) -> {
            if (v instanceof Boolean bool) {
                b.add(k, bool);
            } else if (v instanceof Long || v instanceof Integer) {
                b.add(k, ((Number) v).longValue());
            } else {
                b.add(k, String.valueOf(v));
            }
        });
        return b;
    }
}
