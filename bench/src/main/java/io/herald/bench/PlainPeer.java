package io.herald.bench;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "naive" peer: a minimal JAX-RS app with one SseBroadcaster per channel on embedded Grizzly (Jersey 3.1).
 * GET /sub/{channel}[,{channel}...] (text/event-stream), POST /pub/{channel}[?event=name] (body = data, one line).
 * No history, no Last-Event-ID replay, no slow-client policy: whatever Jersey's broadcaster does.
 * Sends "event: connected" after registering, and "event: heartbeat" data {"time": epoch ms} every heartbeatMs.
 * For tests, a fault can be injected: "skip:channel:n" acknowledges the n-th publish on that channel but never
 * broadcasts it; "dup:channel:n" broadcasts it twice.
 */
@Path("/")
@Singleton
public class PlainPeer {
    private static final class Chan {
        final SseBroadcaster broadcaster;
        final AtomicLong seq = new AtomicLong();
        Chan(SseBroadcaster b) { this.broadcaster = b; }
    }

    private final Map<String, Chan> channels = new ConcurrentHashMap<>();
    private volatile SseBroadcaster all;
    private volatile Sse sse;
    private final String faultKind, faultChannel;
    private final long faultSeq;

    public PlainPeer(String fault) {
        if (fault != null && !fault.isBlank()) {
            String[] f = fault.split(":");
            faultKind = f[0]; faultChannel = f[1]; faultSeq = Long.parseLong(f[2]);
        } else { faultKind = null; faultChannel = null; faultSeq = -1; }
    }

    private Chan chan(String name, Sse s) {
        return channels.computeIfAbsent(name, n -> new Chan(s.newBroadcaster()));
    }

    private SseBroadcaster all(Sse s) {
        if (all == null) synchronized (this) { if (all == null) { sse = s; all = s.newBroadcaster(); } }
        return all;
    }

    @GET
    @Path("sub/{channels}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@PathParam("channels") String names, @Context SseEventSink sink, @Context Sse s) {
        for (String n : names.split(",")) if (!n.isEmpty()) chan(n, s).broadcaster.register(sink);
        all(s).register(sink);
        sink.send(s.newEventBuilder().name("connected").data(String.class, "{}").build());
    }

    @POST
    @Path("pub/{channel}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel, @QueryParam("event") String event, String body, @Context Sse s) {
        Chan c = chan(channel, s);
        long id = c.seq.incrementAndGet();
        boolean faulty = channel.equals(faultChannel) && id == faultSeq;
        if (!(faulty && "skip".equals(faultKind))) {
            OutboundSseEvent.Builder b = s.newEventBuilder().id(Long.toString(id)).data(String.class, body)
                    .mediaType(MediaType.TEXT_PLAIN_TYPE);
            if (event != null && !event.isEmpty()) b.name(event);
            OutboundSseEvent e = b.build();
            c.broadcaster.broadcast(e);
            if (faulty && "dup".equals(faultKind)) c.broadcaster.broadcast(e);
        }
        return Response.status(201).entity("{\"id\":\"" + id + "\",\"channel\":\"" + channel + "\"}").build();
    }

    void heartbeat() {
        SseBroadcaster a = all;
        Sse s = sse;
        if (a != null && s != null)
            a.broadcast(s.newEventBuilder().name("heartbeat").data(String.class, "{\"time\":" + System.currentTimeMillis() + "}").build());
    }

    /** A running peer. */
    public static final class Server implements AutoCloseable {
        public final HttpServer http;
        public final int port;
        private final ScheduledExecutorService timer;
        Server(HttpServer http, int port, ScheduledExecutorService timer) { this.http = http; this.port = port; this.timer = timer; }
        @Override public void close() { timer.shutdownNow(); http.shutdownNow(); }
    }

    public static Server start(String host, int port, long heartbeatMs, String fault) throws Exception {
        PlainPeer peer = new PlainPeer(fault);
        ResourceConfig rc = new ResourceConfig().register(peer);
        HttpServer http = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), rc, false);
        http.start();
        int actual = http.getListeners().iterator().next().getPort();
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> { Thread th = new Thread(r, "heartbeat"); th.setDaemon(true); return th; });
        if (heartbeatMs > 0) t.scheduleAtFixedRate(peer::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        return new Server(http, actual, t);
    }

    /** java -cp ... io.herald.bench.PlainPeer [port] ; -Dplain.heartbeat-ms=15000 -Dplain.host=0.0.0.0 -Dplain.fault=skip:ch3:2 */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("plain.port", 8081);
        Server s = start(System.getProperty("plain.host", "0.0.0.0"), port, Long.getLong("plain.heartbeat-ms", 15000),
                System.getProperty("plain.fault"));
        System.out.println("plain SseBroadcaster peer listening on " + s.port + " pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
