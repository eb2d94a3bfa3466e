package io.herald.publish;

import io.herald.api.ApiException;
import io.herald.auth.CurrentRequest;
import io.herald.drain.InFlightFilter;
import io.herald.history.BrokerUnavailableException;
import io.herald.http.AsyncBody;
import io.herald.http.CorsFilter;
import io.herald.http.FilterMarks;
import io.herald.http.RequestContextFilter;
import io.herald.http.UnreadBodies;
import io.herald.metrics.AuthFailureFilter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Serves {@code POST /api/channels/{channel}/events} and {@code POST /api/events} straight from the servlet request,
 * without the JAX-RS runtime, which was most of a publish's CPU (docs/performance.md, "publish path"). Same checks,
 * same answers: it calls the {@link HttpPublishing} service that {@link ChannelEventsResource} and
 * {@link EventsResource} call, with the same interceptors. Every other request goes on to JAX-RS, and so does a
 * publish whose path has matrix parameters or escapes other than of a channel name's characters, or whose
 * {@code Accept} leaves JSON out, so the edge cases keep JAX-RS's answers,
 * and one that has not passed Herald's other filters yet ({@link FilterMarks}: their order is the container's choice
 * in an app that takes them from annotations alone).
 * <p>
 * A body that has not fully arrived with its headers, of a declared length or chunked, is read without holding a
 * request thread ({@link AsyncBody}), after the caller and the content type are checked, so slow uploads cannot stall
 * everyone else's requests.
 */
@Dependent
@WebFilter(filterName = "herald-publish", urlPatterns = {"/api/channels/*", "/api/events"}, asyncSupported = true)
public class PublishFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(PublishFilter.class.getName());
    private static final String PREFIX = "/api/channels/";
    private static final String SUFFIX = "/events";
    private static final String BATCH = "/api/events";
    private static final Pattern ZERO_WEIGHT = Pattern.compile(";\\s*q\\s*=\\s*0(\\.0*)?\\s*(;|,|$)");

    @Inject
    HttpPublishing publishing;
    @Inject
    CurrentRequest current;
    @Inject
    UnreadBodies unread;
    @Inject
    @ConfigProperty(name = "herald.publish.body-timeout-ms", defaultValue = "30000")
    long bodyTimeoutMs;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        boolean publish = "POST".equals(request.getMethod()) && acceptsJson(request.getHeader("Accept"))
                && FilterMarks.allPassed(request, CorsFilter.class, RequestContextFilter.class, InFlightFilter.class,
                AuthFailureFilter.class);
        String channel = publish ? channelOf(request) : null;
        boolean batch = publish && channel == null && isBatch(request);
        if (channel == null && !batch) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        String contentType = request.getHeader("Content-Type");
        ServletInputStream in = request.getInputStream();
        if (!request.isAsyncSupported() || AsyncBody.wholeBodyHere(request)) {
            answer(response, () -> batch ? publishing.publishBatch(contentType, in)
                    : publishing.publish(channel, contentType, in));
            return;
        }
        // The body is still on its way: check the caller and the content type first, as the blocking path does
        // before it reads, then read the body without holding this thread while it comes.
        try {
            if (batch) {
                publishing.checkBatch(contentType);
            } else {
                publishing.checkPublish(channel, contentType);
            }
        } catch (RuntimeException e) {
            // over HTTP/2 the rest of the body may be read and dropped after the answer (UnreadBodies)
            AsyncBody.refuseUnread(request, response, refusalOf(e), bodyTimeoutMs, unread, false);
            return;
        }
        AsyncBody.readAhead(request, response, publishing.maxBytes(), bodyTimeoutMs, unread, (async, body) -> {
            current.set(request); // the interceptors find the caller's token through it, on this thread too
            try {
                var bytes = new ByteArrayInputStream(body);
                answer(response, () -> batch ? publishing.publishBatch(contentType, bytes)
                        : publishing.publish(channel, contentType, bytes));
            } catch (IOException e) {
                LOG.log(Level.FINE, "A publish answer could not be written", e);
            } finally {
                current.clear();
                AsyncBody.completeQuietly(async);
            }
        });
    }

    /** Runs {@code call} and answers {@code 201} with what it returns, or its refusal with Herald's JSON error. */
    private static void answer(HttpServletResponse response, Supplier<String> call) throws IOException {
        String answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            refusalOf(e).writeTo(response);
            return;
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        response.setStatus(201);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The refusal Herald answers {@code e} with: its own, {@code 503} for a broker outage, {@code 500} for a bug. */
    private static ApiException refusalOf(RuntimeException e) {
        if (e instanceof ApiException refusal) {
            return refusal;
        }
        if (e instanceof BrokerUnavailableException outage) {
            return ApiException.unavailable(outage.getMessage(), outage.retryAfterSeconds());
        }
        LOG.log(Level.WARNING, "Unexpected error", e);
        return new ApiException(500, "server_error", "Internal error");
    }

    /** Whether this is {@code /api/events} itself. */
    static boolean isBatch(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int context = request.getContextPath().length();
        return uri.length() == context + BATCH.length() && uri.startsWith(BATCH, context);
    }

    /**
     * The channel of {@code /api/channels/{channel}/events} when it is one segment; null otherwise. Percent-escapes
     * of the characters a channel name may hold are decoded, as JAX-RS decodes the path parameter: Herald's browser
     * library sends {@code encodeURIComponent(channel)}, so {@code user:42} comes as {@code user%3A42}. A segment
     * with matrix parameters, or an escape of anything else, is left to JAX-RS.
     */
    static String channelOf(HttpServletRequest request) {
        return channelOf(request.getRequestURI(), request.getContextPath().length());
    }

    /** {@link #channelOf(HttpServletRequest)} of a request URI whose context path is {@code context} long. */
    static String channelOf(String uri, int context) {
        int start = context + PREFIX.length();
        if (!uri.startsWith(PREFIX, start - PREFIX.length()) || !uri.endsWith(SUFFIX)
                || uri.length() <= start + SUFFIX.length()) {
            return null;
        }
        String channel = uri.substring(start, uri.length() - SUFFIX.length());
        StringBuilder decoded = null;
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c == '/' || c == ';') {
                return null;
            }
            if (c == '%') {
                int value = i + 2 < channel.length() ? hex(channel.charAt(i + 1)) << 4 | hex(channel.charAt(i + 2)) : -1;
                if (value < 0 || !nameCharacter((char) value)) {
                    return null;
                }
                if (decoded == null) {
                    decoded = new StringBuilder(channel.length()).append(channel, 0, i);
                }
                decoded.append((char) value);
                i += 2;
            } else if (decoded != null) {
                decoded.append(c);
            }
        }
        return decoded == null ? channel : decoded.toString();
    }

    /** A hex digit's value, or a negative number (so that a pair with one in it is negative too). */
    private static int hex(char c) {
        int v = Character.digit(c, 16);
        return v < 0 ? -0x1000 : v;
    }

    /** Whether an escaped character may stand in a channel name, or its glob: the rest are JAX-RS's to decode. */
    private static boolean nameCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':'
                || c == '-' || c == '.' || c == '*';
    }

    /** Whether JSON is acceptable: no {@code Accept}, or a range covering it, and no range weighted {@code q=0}. */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        if (ZERO_WEIGHT.matcher(accept).find()) {
            return false; // an exclusion to work out: JAX-RS decides
        }
        for (String range : accept.split(",")) {
            int semicolon = range.indexOf(';');
            String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json")) {
                return true;
            }
        }
        return false;
    }
}
