package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded non-blocking SSE load generator: one Selector holds every subscriber stream and the publisher
 * connections. All state is owned by the loop thread; other threads talk to it through {@link #call}.
 */
public final class LoadGen implements AutoCloseable {
    public static final class Options {
        public int localAddrs = 50;          // spread client sockets over 127.0.0.1 .. 127.0.0.<n>
        public int maxPendingConnects = 256; // connects in flight at once
        public int publishConns = 4;
        public int payloadPad = 0;           // extra bytes in each published payload
        public boolean autoReconnect = true;
        public long connectTimeoutMs = 15000;
        public int stalledRcvBuf = 65536;
    }

    final Target target;
    final Options opt;
    final int channelCount;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private volatile boolean running = true;
    private final ByteBuffer readBuf = ByteBuffer.allocate(1 << 16);
    private final InetSocketAddress remote;
    private final InetAddress[] locals;
    private final String pad;

    // ---- measurements (loop thread only) ----
    Histogram latencyUs = newHist();       // publish -> receive, live events
    Histogram heartbeatLateMs = new Histogram(3_600_000L, 3);
    Histogram heartbeatGapMs = new Histogram(3_600_000L, 3);
    Histogram publishRttUs = newHist();
    boolean recordLatency = true;
    long deliveries, duplicates, foreign, heartbeats, resets, refused, httpErrors, protocolErrors;
    long unexpectedCloses, reconnects, connectFailures, established, connectAttempts;
    long publishErrors, publishAcked, publishIssued, publishBacklogMax;
    final long[] acked;   // acknowledged publishes per channel (seq 1..acked are all published when no errors)
    final long[] issued;  // next seq - 1 per channel
    Client[] clients = new Client[0];
    private final ArrayDeque<Client> connectQueue = new ArrayDeque<>();
    private int pendingConnects;
    long firstConnectNs, lastEstablishedNs;

    // ---- publisher ----
    private final PubConn[] pubs;
    private final ArrayDeque<long[]> pubBacklog = new ArrayDeque<>(); // {channel, seq}
    private double pubRate;
    private long pubStartNs, pubScheduled, pubLimit = Long.MAX_VALUE;
    private int[] pubChannels;
    private int pubRr;
    private Timer pubTimer;

    static Histogram newHist() { return new Histogram(TimeUnit.SECONDS.toMicros(600), 3); }

    public LoadGen(Target target, int channelCount, Options opt) throws IOException {
        this.target = target;
        this.opt = opt;
        this.channelCount = channelCount;
        this.acked = new long[channelCount];
        this.issued = new long[channelCount];
        this.selector = Selector.open();
        InetAddress ra = InetAddress.getByName(target.host);
        this.remote = new InetSocketAddress(ra, target.port);
        if (ra.isLoopbackAddress() && ra.getAddress().length == 4 && opt.localAddrs > 0) {
            locals = new InetAddress[opt.localAddrs];
            for (int i = 0; i < locals.length; i++)
                locals[i] = InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (1 + i)});
        } else locals = null;
        this.pad = opt.payloadPad > 0 ? "x".repeat(opt.payloadPad) : null;
        this.pubs = new PubConn[opt.publishConns];
        this.thread = new Thread(this::run, "loadgen-loop");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    // ------------------------------------------------------------------ loop

    private static final class Timer implements Comparable<Timer> {
        long at; final Runnable r; boolean cancelled;
        Timer(long at, Runnable r) { this.at = at; this.r = r; }
        public int compareTo(Timer o) { return Long.compare(at, o.at); }
    }

    Timer schedule(long delayMs, Runnable r) {
        Timer t = new Timer(System.nanoTime() + delayMs * 1_000_000L, r);
        timers.add(t);
        return t;
    }

    private void run() {
        while (running) {
            try {
                long timeoutMs = 100;
                Timer head = timers.peek();
                // round up: a timer due in 0.3 ms must block ~1 ms, not spin on selectNow()
                if (head != null) { long ns = head.at - System.nanoTime(); timeoutMs = ns <= 0 ? 0 : (ns + 999_999) / 1_000_000L; }
                if (!tasks.isEmpty()) timeoutMs = 0;
                if (timeoutMs == 0) selector.selectNow(); else selector.select(Math.min(timeoutMs, 100));
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Object a = k.attachment();
                    if (a instanceof Client) ((Client) a).ready(k);
                    else if (a instanceof PubConn) ((PubConn) a).ready(k);
                }
                long now = System.nanoTime();
                while ((head = timers.peek()) != null && head.at <= now) {
                    timers.poll();
                    if (!head.cancelled) head.r.run();
                }
                Runnable t;
                while ((t = tasks.poll()) != null) t.run();
            } catch (Throwable e) {
                protocolErrors++;
                e.printStackTrace();
            }
        }
        try { selector.close(); } catch (IOException ignored) {}
    }

    /** Runs c on the loop thread and waits for its result. */
    public <T> T call(Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> { try { f.complete(c.call()); } catch (Throwable e) { f.completeExceptionally(e); } });
        selector.wakeup();
        try { return f.get(60, TimeUnit.SECONDS); }
        catch (Exception e) { throw new RuntimeException(e); }
    }

    public void exec(Runnable r) { call(() -> { r.run(); return null; }); }

    @Override public void close() {
        try {
            exec(() -> {
                for (Client c : clients) c.closeQuietly();
                for (PubConn p : pubs) if (p != null) p.closeQuietly();
            });
        } catch (RuntimeException ignored) {}
        running = false;
        selector.wakeup();
        try { thread.join(5000); } catch (InterruptedException ignored) {}
    }

    // ------------------------------------------------------------------ subscribers

    /**
     * Creates this process's share of clients 0..total-1 (client i lives in process i % procs) and starts connecting
     * them. Channels, stall candidacy and source address depend on the global index i alone, so a run split over
     * several processes subscribes exactly what a single process would: client i is on channels (i*k + j) % m.
     */
    public void addClients(int total, int perClient, int procs, int proc, java.util.function.IntPredicate stalledCandidate) {
        exec(() -> {
            int mine = total / procs + (proc < total % procs ? 1 : 0);
            Client[] all = java.util.Arrays.copyOf(clients, clients.length + mine);
            for (int k = clients.length; k < all.length; k++) {
                int i = (k - clients.length) * procs + proc;
                int[] ch = new int[perClient];
                for (int j = 0; j < perClient; j++) ch[j] = (int) (((long) i * perClient + j) % channelCount);
                all[k] = new Client(i, ch, stalledCandidate != null && stalledCandidate.test(i));
                connectQueue.add(all[k]);
            }
            clients = all;
            if (firstConnectNs == 0) firstConnectNs = System.nanoTime();
            pumpConnects();
        });
    }

    private void pumpConnects() {
        while (pendingConnects < opt.maxPendingConnects && !connectQueue.isEmpty()) {
            Client c = connectQueue.poll();
            pendingConnects++;
            c.pending = true;
            c.open();
        }
    }

    private void connectDone(Client c) {
        if (c.pending) { c.pending = false; pendingConnects--; }
        pumpConnects();
    }

    final class Client implements SseParser.Listener, Http.Body {
        final int idx;
        final int[] channels;
        final long[] next;
        HashSet<Long>[] ahead;
        final boolean stallCandidate;
        SocketChannel sc;
        SelectionKey key;
        final Http.Response resp = new Http.Response();
        final SseParser parser = new SseParser(this);
        ByteBuffer out;
        boolean pending, streaming, everEstablished, stalled, dropped, isRefused, closed = true, intentionalClose;
        long openedNs, establishedNs, lastHeartbeatMs;
        long localKey = -1; // (ip << 16) | port of the client side
        long retryMs = 1000;
        int conns;

        @SuppressWarnings("unchecked")
        Client(int idx, int[] channels, boolean stallCandidate) {
            this.idx = idx; this.channels = channels; this.stallCandidate = stallCandidate;
            this.next = new long[channels.length];
            java.util.Arrays.fill(next, 1);
        }

        void open() {
            try {
                closed = false; intentionalClose = false; streaming = false;
                resp.reset();
                parser.resetForNewStream();
                sc = SocketChannel.open();
                sc.configureBlocking(false);
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (stallCandidate) sc.setOption(StandardSocketOptions.SO_RCVBUF, opt.stalledRcvBuf);
                if (locals != null) sc.bind(new InetSocketAddress(locals[idx % locals.length], 0));
                InetSocketAddress la = (InetSocketAddress) sc.getLocalAddress();
                if (la != null && la.getAddress().getAddress().length == 4) {
                    byte[] ab = la.getAddress().getAddress();
                    long ip = ((ab[0] & 0xffL) << 24) | ((ab[1] & 0xffL) << 16) | ((ab[2] & 0xffL) << 8) | (ab[3] & 0xffL);
                    localKey = (ip << 16) | la.getPort();
                }
                StringBuilder req = new StringBuilder(160);
                req.append("GET ").append(target.subscribePath(channels)).append(" HTTP/1.1\r\nHost: ")
                        .append(target.hostHeader()).append("\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n");
                String last = parser.lastEventId();
                if (last != null) req.append("Last-Event-ID: ").append(last).append("\r\n");
                req.append("\r\n");
                out = ByteBuffer.wrap(req.toString().getBytes(StandardCharsets.UTF_8));
                openedNs = System.nanoTime();
                connectAttempts++;
                conns++;
                if (sc.connect(remote)) key = sc.register(selector, SelectionKey.OP_WRITE, this);
                else key = sc.register(selector, SelectionKey.OP_CONNECT, this);
                final int myConn = conns;
                schedule(opt.connectTimeoutMs, () -> {
                    if (conns == myConn && !closed && !streaming && !resp.headDone) fail("connect timeout");
                });
            } catch (IOException e) {
                fail("connect: " + e.getMessage());
            }
        }

        void ready(SelectionKey k) {
            try {
                if (!k.isValid()) return;
                if (k.isConnectable()) {
                    if (sc.finishConnect()) k.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (k.isWritable()) {
                    sc.write(out);
                    if (!out.hasRemaining()) { out = null; k.interestOps(stalled ? 0 : SelectionKey.OP_READ); }
                    return;
                }
                if (k.isReadable()) {
                    readBuf.clear();
                    int n = sc.read(readBuf);
                    if (n < 0) { closedByPeer(); return; }
                    byte[] b = readBuf.array();
                    int off = 0;
                    while (off < n && !closed) {
                        boolean wasHead = resp.headDone;
                        off += resp.feed(b, off, n - off, this);
                        if (!wasHead && resp.headDone) onHead();
                        if (resp.bodyDone) { closedByPeer(); return; }
                    }
                }
            } catch (IOException e) {
                if (!established()) fail(e.getMessage()); else closedByPeer();
            } catch (RuntimeException e) {
                protocolErrors++;
                System.err.println("client " + idx + ": " + e);
                closedByPeer();
            }
        }

        private boolean established() { return streaming; }

        private void onHead() {
            if (resp.status != 200) {
                httpErrors++;
                System.err.println("client " + idx + " HTTP " + resp.status);
                isRefused = true;
                fail("status " + resp.status);
                return;
            }
            if (!target.sendsConnectedEvent()) markEstablished();
        }

        private void markEstablished() {
            if (streaming) return;
            streaming = true;
            establishedNs = System.nanoTime();
            if (!everEstablished) { everEstablished = true; established++; lastEstablishedNs = establishedNs; }
            else reconnects++;
            connectDone(this);
        }

        @Override public void onBody(byte[] b, int off, int len) { parser.feed(b, off, len); }

        @Override public void onRetry(long ms) { retryMs = ms; }

        @Override public void onEvent(String type, String id, byte[] data, int len) {
            long now = System.nanoTime();
            switch (type) {
                case "tick": case "message": onTick(data, len, now); break;
                case "connected": markEstablished(); break;
                case "heartbeat": {
                    heartbeats++;
                    long ms = System.currentTimeMillis();
                    long t = findLong(data, len, TIME);
                    if (t > 0) heartbeatLateMs.recordValue(Math.max(0, ms - t));
                    if (lastHeartbeatMs > 0) heartbeatGapMs.recordValue(Math.max(0, ms - lastHeartbeatMs));
                    lastHeartbeatMs = ms;
                    if (!streaming) markEstablished();
                    break;
                }
                case "reset": resets++; break;
                case "unavailable": refused++; isRefused = true; break;
                default: break;
            }
        }

        private void onTick(byte[] d, int len, long now) {
            if (!streaming) markEstablished();
            long seq = findLong(d, len, SEQ);
            long t = findLong(d, len, T);
            int ch = findChannel(d, len);
            int slot = -1;
            if (ch < 0 && channels.length == 1) slot = 0;
            else for (int s = 0; s < channels.length; s++) if (channels[s] == ch) { slot = s; break; }
            if (slot < 0 || seq <= 0) { foreign++; return; }
            long n = next[slot];
            boolean fresh;
            if (seq == n) {
                n++;
                if (ahead != null && ahead[slot] != null) while (ahead[slot].remove(n)) n++;
                next[slot] = n;
                fresh = true;
            } else if (seq < n) fresh = false;
            else {
                if (ahead == null) { @SuppressWarnings("unchecked") HashSet<Long>[] a = new HashSet[channels.length]; ahead = a; }
                if (ahead[slot] == null) ahead[slot] = new HashSet<>();
                fresh = ahead[slot].add(seq);
            }
            if (!fresh) { duplicates++; return; }
            deliveries++;
            if (recordLatency && t > 0 && !stalled) latencyUs.recordValue(Math.max(0, Math.min((now - t) / 1000, latencyUs.getHighestTrackableValue())));
        }

        long received(int slot) { return next[slot] - 1 + (ahead == null || ahead[slot] == null ? 0 : ahead[slot].size()); }

        /** Events published on this client's channels that it has not received (0 when caught up gap-free). */
        long missing(long[] acked) {
            long m = 0;
            for (int s = 0; s < channels.length; s++) m += Math.max(0, acked[channels[s]] - received(s));
            return m;
        }

        void stall() {
            stalled = true;
            if (key != null && key.isValid()) key.interestOps(0);
        }

        void drop() {
            intentionalClose = true;
            closeQuietly();
        }

        void closeQuietly() {
            closed = true;
            streaming = false;
            try { if (sc != null) sc.close(); } catch (IOException ignored) {}
            if (pending) connectDone(this);
        }

        private void closedByPeer() {
            boolean wasStreaming = streaming;
            closeQuietly();
            if (intentionalClose || stalled || isRefused) return;
            if (wasStreaming) unexpectedCloses++;
            if (opt.autoReconnect && everEstablished) schedule(Math.min(retryMs, 3000), this::open);
        }

        private void fail(String why) {
            connectFailures++;
            if (connectFailures <= 5) System.err.println("client " + idx + " failed: " + why);
            closeQuietly();
        }
    }

    public void reconnect(Client c) { c.open(); }

    // ------------------------------------------------------------------ parsing helpers

    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = "\"time\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "\"channel\":\"ch".getBytes(StandardCharsets.US_ASCII);
    /** How far into an event's data its channel key may start. */
    static final int CHANNEL_WITHIN = 64;

    static int indexOf(byte[] d, int len, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= len; i++) {
            for (int j = 0; j < key.length; j++) if (d[i + j] != key[j]) continue outer;
            return i + key.length;
        }
        return -1;
    }

    static long findLong(byte[] d, int len, byte[] key) {
        int i = indexOf(d, len, key);
        if (i < 0) return -1;
        while (i < len && d[i] == ' ') i++;
        boolean neg = i < len && d[i] == '-';
        if (neg) i++;
        long v = 0;
        int digits = 0;
        while (i < len && d[i] >= '0' && d[i] <= '9') { v = v * 10 + (d[i++] - '0'); digits++; }
        if (digits == 0) return -1;
        return neg ? -v : v;
    }

    /**
     * The channel number in an event's data. Every target's payload (and Herald's envelope) starts with its
     * {@code "channel"} key, so only the start is searched: a payload without one would otherwise be scanned to its
     * end, 8 KiB per event in the slow scenario, load-generator time added to every latency it measures.
     */
    static int findChannel(byte[] d, int len) {
        int i = indexOf(d, Math.min(len, CHANNEL_WITHIN), CHANNEL);
        if (i < 0) return -1;
        int v = 0, digits = 0;
        while (i < len && d[i] >= '0' && d[i] <= '9') { v = v * 10 + (d[i++] - '0'); digits++; }
        return digits == 0 || i >= len || d[i] != '"' ? -1 : v;
    }

    // ------------------------------------------------------------------ publisher

    /** Publishes at rate events/s round-robin over channels until stopped or limit events were issued. */
    public void startPublishing(double rate, int[] channels, long limit) {
        exec(() -> {
            stopPublishingNow();
            pubRate = rate;
            pubChannels = channels;
            pubStartNs = System.nanoTime();
            pubScheduled = 0;
            pubLimit = limit <= 0 ? Long.MAX_VALUE : limit;
            pubTick();
        });
    }

    public void stopPublishing() { exec(this::stopPublishingNow); }

    private void stopPublishingNow() {
        if (pubTimer != null) pubTimer.cancelled = true;
        pubTimer = null;
        pubRate = 0;
    }

    private void pubTick() {
        if (pubRate <= 0) return;
        long due = (long) ((System.nanoTime() - pubStartNs) / 1e9 * pubRate) + 1;
        due = Math.min(due, pubLimit);
        while (pubScheduled < due) {
            int ch = pubChannels[pubRr++ % pubChannels.length];
            pubBacklog.add(new long[]{ch, ++issued[ch]});
            publishIssued++;
            pubScheduled++;
        }
        publishBacklogMax = Math.max(publishBacklogMax, pubBacklog.size());
        pumpPublishes();
        if (pubScheduled >= pubLimit) { pubTimer = null; pubRate = 0; return; }
        pubTimer = schedule(1, this::pubTick);
    }

    private void pumpPublishes() {
        for (int i = 0; i < pubs.length && !pubBacklog.isEmpty(); i++) {
            if (pubs[i] == null || pubs[i].dead) pubs[i] = new PubConn();
            PubConn p = pubs[i];
            if (p.idle()) p.send(pubBacklog.poll());
        }
    }

    /** True when nothing is queued or in flight. */
    public boolean publishIdle() {
        return call(() -> {
            if (!pubBacklog.isEmpty() || pubRate > 0) return false;
            for (PubConn p : pubs) if (p != null && p.cur != null) return false;
            return true;
        });
    }

    final class PubConn {
        SocketChannel sc;
        SelectionKey key;
        boolean connected, dead;
        long[] cur;
        long sentNs;
        ByteBuffer out;
        final Http.Response resp = new Http.Response();
        final Http.Body sink = (b, o, l) -> {};

        PubConn() {
            try {
                sc = SocketChannel.open();
                sc.configureBlocking(false);
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (sc.connect(remote)) { connected = true; key = sc.register(selector, 0, this); }
                else key = sc.register(selector, SelectionKey.OP_CONNECT, this);
            } catch (IOException e) { dead = true; publishErrors++; }
        }

        boolean idle() { return !dead && cur == null; }

        void send(long[] req) {
            cur = req;
            resp.reset();
            if (connected) write();
        }

        private void write() {
            try {
                if (out == null) {
                    sentNs = System.nanoTime();
                    out = ByteBuffer.wrap(target.publishRequest((int) cur[0], cur[1], sentNs, pad));
                }
                sc.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (IOException e) { broken(); }
        }

        void ready(SelectionKey k) {
            try {
                if (!k.isValid()) return;
                if (k.isConnectable()) {
                    if (sc.finishConnect()) { connected = true; if (cur != null) write(); else k.interestOps(SelectionKey.OP_READ); }
                    return;
                }
                if (k.isWritable()) { write(); return; }
                if (k.isReadable()) {
                    readBuf.clear();
                    int n = sc.read(readBuf);
                    if (cur == null) {
                        // idle: the server closed the kept-alive connection (Grizzly after 30 s without a request),
                        // as HTTP allows; noticed now, it is replaced before a publish is lost on it
                        closeQuietly();
                        return;
                    }
                    if (n < 0) { broken(); return; }
                    resp.feed(readBuf.array(), 0, n, sink);
                    if (resp.bodyDone) {
                        long[] r = cur;
                        cur = null; out = null;
                        if (resp.status >= 200 && resp.status < 300) {
                            acked[(int) r[0]]++;
                            publishAcked++;
                            publishRttUs.recordValue(Math.min((System.nanoTime() - sentNs) / 1000, publishRttUs.getHighestTrackableValue()));
                        } else {
                            publishErrors++;
                            if (publishErrors <= 5) System.err.println("publish HTTP " + resp.status + " " + resp.headText().split("\r\n")[0]);
                        }
                        if (!resp.keepAlive) closeQuietly();
                        else k.interestOps(SelectionKey.OP_READ); // to see the server close it while idle
                        pumpPublishes();
                    }
                }
            } catch (IOException e) { broken(); }
        }

        private void broken() {
            if (cur != null) { publishErrors++; cur = null; }
            closeQuietly();
            pumpPublishes();
        }

        void closeQuietly() {
            dead = true;
            try { sc.close(); } catch (IOException ignored) {}
        }
    }

    // ------------------------------------------------------------------ queries for the driver

    /** Acknowledged publishes per channel so far: what subscribers in any process should have received. */
    public long[] ackedCounts() { return call(acked::clone); }

    int connecting() { return connectQueue.size() + pendingConnects; }

    public double loadgenCpuSeconds() {
        return ProcStats.cpuSeconds(ProcessHandle.current().pid(), false);
    }
}
