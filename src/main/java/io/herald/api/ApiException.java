package io.herald.api;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A refusal with an HTTP status and a JSON body {@code {"error": ..., "message": ...}}. */
public class ApiException extends WebApplicationException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String message) {
        this(status, error, message, Response.status(status));
    }

    /** With a response carrying extra headers; the JSON body is added here. */
    public ApiException(int status, String error, String message, Response.ResponseBuilder response) {
        super(message, null, response.type(MediaType.APPLICATION_JSON_TYPE).entity(body(error, message)).build());
        this.status = status;
        this.error = error;
    }

    /** A refusal that also carries response headers, such as {@code WWW-Authenticate} or {@code Retry-After}. */
    public ApiException(int status, String error, String message, java.util.Map<String, String> headers) {
        super(message, null, response(status, error, message, headers));
        this.status = status;
        this.error = error;
    }

    public static ApiException badRequest(String error, String message) {
        return new ApiException(400, error, message);
    }

    public static ApiException notFound(String error, String message) {
        return new ApiException(404, error, message);
    }

    /** A temporary refusal: 503 with {@code Retry-After}, for example while the broker is unreachable. */
    public static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(503, "unavailable", message,
                Response.status(503).header("Retry-After", Math.max(1, retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static Response response(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(error, message)).build();
    }

    static Response response(int status, String error, String message, java.util.Map<String, String> headers) {
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(error, message));
        headers.forEach(b::header);
        return b.build();
    }

    /** A header this refusal carries, or null. */
    public String header(String name) {
        Object v = getResponse().getHeaders().getFirst(name);
        return v == null ? null : String.valueOf(v);
    }

    /** Writes this refusal, headers included, straight to a servlet response: for the paths served outside JAX-RS. */
    public void writeTo(HttpServletResponse w) throws IOException {
        // headers first: writing a body of its declared length completes the response, and a container may send
        // it at once (Payara does), after which a header added is dropped
        getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> w.addHeader(name, String.valueOf(v)));
            }
        });
        writeTo(w, status, error, getMessage());
    }

    /** Writes a refusal with Herald's JSON error body straight to a servlet response. */
    public static void writeTo(HttpServletResponse w, int status, String error, String message) throws IOException {
        byte[] body = body(error, message).getBytes(StandardCharsets.UTF_8);
        w.setStatus(status);
        w.setContentType("application/json");
        w.setContentLength(body.length);
        w.getOutputStream().write(body);
    }

    public static String body(String error, String message) {
        return Jsons.JSON.createObjectBuilder().add("error", error).add("message", message == null ? "" : message)
                .build().toString();
    }
}
