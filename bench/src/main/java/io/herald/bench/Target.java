package io.herald.bench;

import java.net.URI;

/** How to subscribe to and publish on one kind of server. Channel names are "ch&lt;index&gt;". */
public abstract class Target {
    public final String kind;
    public final String host;
    public final int port;
    public final String prefix; // path prefix without trailing slash
    /** Optional override for the publish URL prefix (plain peer / nchan publisher location). */
    public String publishPrefix;
    /** An {@code Authorization} header value for publishing, or null. */
    public String authorization;
    /** Herald only: channels are "&lt;group&gt;.ch&lt;index&gt;", subscribed to as "*.ch&lt;index&gt;"; null for plain names. */
    public String group;

    protected Target(String kind, String baseUrl) {
        URI u = URI.create(baseUrl);
        this.kind = kind;
        this.host = u.getHost();
        this.port = u.getPort() < 0 ? 80 : u.getPort();
        String p = u.getPath() == null ? "" : u.getPath();
        this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    public static String channel(int idx) { return "ch" + idx; }

    public static Target of(String kind, String baseUrl) {
        switch (kind) {
            case "herald": return new Herald(baseUrl);
            case "nchan": return new Nchan(baseUrl);
            case "plain": return new Plain(baseUrl);
            default: throw new IllegalArgumentException("unknown target kind " + kind + " (herald|nchan|plain)");
        }
    }

    /** Request path for a stream subscribed to these channels. */
    public abstract String subscribePath(int[] channels);

    /** Full publish request bytes. */
    public abstract byte[] publishRequest(int channel, long seq, long nanoTime, String pad);

    /** Whether the server sends an "event: connected" first (else the 200 response head marks the stream open). */
    public boolean sendsConnectedEvent() { return true; }

    /** Whether the server is expected to replay missed events given Last-Event-ID. */
    public boolean resumes() { return true; }

    String hostHeader() { return host + ":" + port; }

    protected String dataJson(int channel, long seq, long t, String pad, boolean withChannel) {
        StringBuilder sb = new StringBuilder(64 + (pad == null ? 0 : pad.length()));
        sb.append('{');
        if (withChannel) sb.append("\"channel\":\"").append(channel(channel)).append("\",");
        sb.append("\"seq\":").append(seq).append(",\"t\":").append(t);
        if (pad != null) sb.append(",\"pad\":\"").append(pad).append('"');
        return sb.append('}').toString();
    }

    protected byte[] post(String path, String body, String extraHeaders) {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader() + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/plain\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + extraHeaders + "Content-Length: " + b.length + "\r\n\r\n";
        byte[] h = Http.ascii(head);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    static String joinChannels(int[] channels, String sep, String prefixEach) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < channels.length; i++) {
            if (i > 0) sb.append(sep);
            sb.append(prefixEach).append(channel(channels[i]));
        }
        return sb.toString();
    }

    /** Herald: GET /api/events?channel=..., POST /api/channels/{c}/events {"event":"tick","data":{...}}. */
    public static final class Herald extends Target {
        Herald(String base) { super("herald", base); }
        @Override public String subscribePath(int[] ch) {
            // with more than one channel the envelope tells which channel an event came from
            String each = group == null ? "channel=" : "channel=*.";
            return prefix + "/api/events?" + joinChannels(ch, "&", each) + (ch.length > 1 ? "&envelope=true" : "");
        }
        @Override public byte[] publishRequest(int c, long seq, long t, String pad) {
            String base = publishPrefix != null ? publishPrefix : prefix + "/api/channels/";
            return post(base + (group == null ? "" : group + ".") + channel(c) + "/events",
                    "{\"event\":\"tick\",\"data\":" + dataJson(c, seq, t, pad, true) + "}", "");
        }
    }

    /** nginx + Nchan: GET /sub/a,b (EventSource), POST /pub/{c} with X-EventSource-Event: tick. */
    public static final class Nchan extends Target {
        Nchan(String base) { super("nchan", base); }
        @Override public String subscribePath(int[] ch) { return prefix + "/sub/" + joinChannels(ch, ",", ""); }
        @Override public byte[] publishRequest(int c, long seq, long t, String pad) {
            String base = publishPrefix != null ? publishPrefix : prefix + "/pub/";
            return post(base + channel(c), dataJson(c, seq, t, pad, true), "X-EventSource-Event: tick\r\n");
        }
        @Override public boolean sendsConnectedEvent() { return false; }
    }

    /** The naive JAX-RS SseBroadcaster peer (PlainPeer): GET /sub/a,b, POST /pub/{c}?event=tick. No replay. */
    public static final class Plain extends Target {
        Plain(String base) { super("plain", base); }
        @Override public String subscribePath(int[] ch) { return prefix + "/sub/" + joinChannels(ch, ",", ""); }
        @Override public byte[] publishRequest(int c, long seq, long t, String pad) {
            String base = publishPrefix != null ? publishPrefix : prefix + "/pub/";
            return post(base + channel(c) + "?event=tick", dataJson(c, seq, t, pad, true), "");
        }
        @Override public boolean resumes() { return false; }
    }
}
