package io.herald.embedded;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The plain-HTTP listener when TLS is on: every request is sent to the same path and query over HTTPS with a
 * {@code 308}, which keeps the method and body (a POST stays a POST).
 */
final class HttpsRedirect extends HttpHandler {

    private final NetworkListener https;

    HttpsRedirect(NetworkListener https) {
        this.https = https;
    }

    @Override
    public void service(Request request, Response response) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        int port = https.getPort();
        String query = request.getQueryString();
        String location = "https://" + host + (port == 443 ? "" : ":" + port) + request.getRequestURI()
                + (query == null ? "" : "?" + query);
        response.setStatus(308, "Permanent Redirect");
        response.setHeader("Location", location);
        response.setContentLength(0);
    }
}
