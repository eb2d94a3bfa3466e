package io.herald.stream;

import io.herald.api.ApiException;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.ClientDetails;
import io.herald.delivery.Connection;
import io.herald.delivery.HeartbeatScheduler;
import io.herald.delivery.Outbound;
import io.herald.delivery.Viewer;
import io.herald.drain.Drain;
import io.herald.limits.StreamLease;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;

/**
 * Serves {@code GET /api/events}: validates and admits the request, sets the event-stream headers with response
 * buffering off, then hands the response to the registry as a non-blocking async stream. Every other method on
 * {@code /api/events} goes on to JAX-RS.
 */
@Dependent
@WebFilter(filterName = "herald-event-stream", urlPatterns = "/api/events", asyncSupported = true)
public class EventStreamFilter implements Filter {

    @Inject
    ChannelRegistry registry;
    @Inject
    HeartbeatScheduler heartbeats;
    @Inject
    StreamAdmission admission;
    @Inject
    @ConfigProperty(name = "herald.stream.max-channels", defaultValue = "100")
    int maxChannels;
    @Inject
    @ConfigProperty(name = "herald.unavailable.retry-ms", defaultValue = "5000")
    long unavailableRetryMs;
    @Inject
    Drain drain;
    @Inject
    DirectStreams direct;
    @Inject
    @ConfigProperty(name = "herald.compression.enabled", defaultValue = "false")
    boolean compression;
    @Inject
    @ConfigProperty(name = "herald.compression.level", defaultValue = "6")
    int compressionLevel;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!"GET".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        if (!StreamRequest.acceptsEventStream(request.getHeader("Accept"))) {
            ApiException.writeTo(response, 406, "not_acceptable",
                    "GET /api/events is an event stream: send Accept: text/event-stream");
            return;
        }
        if (drain.isDraining()) {
            ServletResponses.unavailable(response, "draining", drain.retryMs());
            return;
        }
        StreamRequest stream;
        Viewer viewer;
        try {
            stream = StreamRequest.parse(request, maxChannels);
            viewer = admission.admit(stream, request);
        } catch (ApiException e) {
            if (e.status() == 429 || e.status() == 503) {
                // temporary (a limit, keys unreachable): a browser only retries after a 200
                ServletResponses.unavailable(response, e.error(), retryMs(e));
            } else {
                e.writeTo(response);
            }
            return;
        }
        if (!registry.tryReserve()) {
            ServletResponses.unavailable(response, "capacity", unavailableRetryMs);
            return;
        }
        try {
            open(request, response, stream, viewer);
        } catch (IOException | RuntimeException e) {
            registry.release();
            throw e;
        }
    }

    private long retryMs(ApiException e) {
        String retryAfter = e.header("Retry-After");
        if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
            return Math.max(unavailableRetryMs, Long.parseLong(retryAfter) * 1000);
        }
        return unavailableRetryMs;
    }

    private void open(HttpServletRequest request, HttpServletResponse response, StreamRequest stream, Viewer viewer)
            throws IOException {
        ServletResponses.streamHeaders(response);
        GzipFrames gzip = null;
        if (compression) {
            response.addHeader("Vary", "Accept-Encoding");
            if (StreamRequest.acceptsGzip(request.getHeader("Accept-Encoding"))) {
                response.setHeader("Content-Encoding", "gzip");
                gzip = new GzipFrames(compressionLevel);
            }
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Connection connection = registry.newConnection(registry.newClientId(), stream.subscription().patterns(),
                stream.subscription().eventTypes(), stream.envelope(), viewer,
                new ClientDetails(request.getHeader("User-Agent"), request.getRemoteAddr()));
        Outbound outbound = direct.open(request, response, connection, gzip);
        Runnable activate = () -> { };
        if (outbound == null) {
            ServletOutputStream out = response.getOutputStream();
            ServletOutbound servlet = new ServletOutbound(async, out, connection, gzip);
            async.addListener(servlet);
            outbound = servlet;
            activate = () -> out.setWriteListener(servlet);
        }
        // the stream's slot under the per-subject and per-address limits lasts as long as the stream
        if (request.getAttribute(StreamLease.ATTRIBUTE) instanceof StreamLease lease) {
            request.removeAttribute(StreamLease.ATTRIBUTE);
            connection.whenClosed(lease::release);
        }
        registry.open(connection, outbound, stream.lastEventId(), heartbeats.intervalMs(), activate);
    }
}
