package io.herald.embedded;

import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/** Grizzly's own error pages as Herald's JSON errors, without the stack trace Grizzly would show. */
final class JsonErrorPages implements ErrorPageGenerator {

    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        request.getResponse().setContentType("application/json");
        String error = status >= 500 ? "server_error" : status == 404 ? "not_found" : "error";
        String message = status >= 500 ? "Internal error" : reasonPhrase == null ? "" : reasonPhrase;
        return "{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\"", "'").replace("\\", "/") + "\"}";
    }
}
