package io.herald.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Plain HTTP calls for tests. {@code post}, {@code get}, {@code delete}, {@code publish} and {@code request} send
 * {@link TestTokens#admin()} unless the headers carry an Authorization of their own; {@link #raw} sends exactly
 * what it is given.
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    private static final String ADMIN = "Bearer " + TestTokens.admin();

    public static HttpResponse<String> post(URI base, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static HttpResponse<String> get(URI base, String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", ADMIN).GET().build());
    }

    public static HttpResponse<String> delete(URI base, String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", ADMIN).DELETE().build());
    }

    public static HttpResponse<String> request(URI base, String method, String path, Map<String, String> headers,
                                               String body) throws Exception {
        boolean hasAuth = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"));
        Map<String, String> all = new java.util.HashMap<>(headers);
        if (!hasAuth) {
            all.put("Authorization", ADMIN);
        }
        return raw(base, method, path, all, body);
    }

    /** Exactly this request: no token unless the headers carry one. */
    public static HttpResponse<String> raw(URI base, String method, String path, Map<String, String> headers,
                                           String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes {@code {"event": type, "data": dataJson}} and returns the new event id. */
    public static String publish(URI base, String channel, String type, String dataJson) throws Exception {
        String body = type == null ? "{\"data\":" + dataJson + "}"
                : "{\"event\":\"" + type + "\",\"data\":" + dataJson + "}";
        HttpResponse<String> r = post(base, "api/channels/" + channel + "/events", body);
        if (r.statusCode() != 201) {
            throw new AssertionError("publish answered " + r.statusCode() + ": " + r.body());
        }
        String b = r.body();
        int i = b.indexOf("\"id\":\"") + 6;
        return b.substring(i, b.indexOf('"', i));
    }
}
