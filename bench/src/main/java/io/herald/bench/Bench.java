package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Command line driver: java -cp 'target/classes:target/lib/*' io.herald.bench.Bench --target herald --url http://127.0.0.1:8080
 * --scenario fanout --streams 10000 --channels 1 ... See bench/README.md.
 */
public final class Bench {
    /** All options; each field is settable as --kebab-case-name value. */
    public static final class Config {
        public String target = "plain";           // herald | nchan | plain
        public String url = "http://127.0.0.1:8081";
        public String publishPath;                // override publish path prefix, e.g. /pub/ (channel appended)
        public String scenario = "fanout";        // idle | fanout | channels | reconnect | slow
        public int streams = 1000;
        public int channels = 1;
        public int perClient = 1;
        public double rate = 10;                  // events/s (fanout: first step when --steps absent)
        public double duration = 10;              // seconds of measurement
        public String steps = "";                 // fanout: comma-separated rates
        public double stepSeconds = 8;
        public double p99LimitMs = 100;           // fanout: maxRateWithinLimit is the highest rate with p99 <= this
        public double p99AbortMs = 5000;          // fanout: stop stepping once a step's p99 exceeds this
        public double warmup = 1;
        public double publishWarmup = 2;          // channels, slow: seconds of publishing before measuring (JVMs' JIT)
        public double fanoutPublishWarmup = 0;    // fanout: seconds of publishing to a channel nobody is on, before the
                                                  // steps, so the JVMs' publish path is compiled (see publishPathWarmup)
        public double fanoutPublishWarmupRate = 1000; // events/s of that warm-up
        public double drainTimeout = 15;
        public double connectTimeout = 180;       // seconds to get every stream up
        public long serverPid = -1;
        public boolean serverChildren = true;     // count children too (nginx workers)
        public boolean gc = true;                 // jcmd GC.run + GC.heap_info on JVM servers
        public int payloadPad = 0;
        public int localAddrs = 50;
        public int maxPending = 256;
        public int publishConns = 4;
        public int beforeDrop = 5;                // reconnect: events per channel before the drop
        public int duringDrop = 10;               // reconnect: events per channel while dropped
        public int reconnectPending = 2000;       // reconnect: connects in flight during the storm
        public int stormWarmups = 0;              // reconnect: unmeasured storms before the measured one (JVMs' JIT)
        public double catchupTimeout = 60;
        public double stallFraction = 0.01;       // slow: fraction of clients that stop reading
        public double baseline = 10;              // slow: seconds measured before stalling
        public int stalledRcvBuf = 65536;
        public String out;                        // result JSON file
        public String label;
        public String jwtSecret;                  // herald: sign a publish token with the secret Herald runs with
        public String heraldGroup;                // herald: publish on "<group>.chN", subscribe with the pattern
                                                  // "*.chN" (a wildcard-first resume); one channel per client
        public int procs = 1;                     // load generator processes: this one plus procs-1 worker JVMs
        public String workerJvm = "-Xmx1g -XX:+UseParallelGC"; // JVM options of the worker processes
    }

    public static void main(String[] args) throws Exception {
        Config c = parse(args);
        Map<String, Object> r = run(c);
        System.out.println(summary(r));
        System.exit(0);
    }

    static Config parse(String[] args) throws Exception {
        Config c = new Config();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) { usage(); System.exit(0); }
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String name = a.substring(2);
            String val;
            int eq = name.indexOf('=');
            if (eq >= 0) { val = name.substring(eq + 1); name = name.substring(0, eq); }
            else val = args[++i];
            StringBuilder camel = new StringBuilder();
            boolean up = false;
            for (char ch : name.toCharArray()) { if (ch == '-') up = true; else { camel.append(up ? Character.toUpperCase(ch) : ch); up = false; } }
            Field f = Config.class.getField(camel.toString());
            Class<?> t = f.getType();
            if (t == int.class) f.setInt(c, Integer.parseInt(val));
            else if (t == long.class) f.setLong(c, Long.parseLong(val));
            else if (t == double.class) f.setDouble(c, Double.parseDouble(val));
            else if (t == boolean.class) f.setBoolean(c, Boolean.parseBoolean(val));
            else f.set(c, val);
        }
        return c;
    }

    static void usage() {
        System.out.println("usage: Bench --target herald|nchan|plain --url http://127.0.0.1:PORT --scenario idle|fanout|channels|reconnect|slow\n"
                + "  --streams N --channels M --per-client K --rate EV_PER_S --duration S [--steps r1,r2,..] [--server-pid PID]\n"
                + "  [--out result.json] [--label name] [--payload-pad BYTES] [--local-addrs 50] [--max-pending 256] ...\n"
                + "options (all Config fields):");
        for (Field f : Config.class.getFields()) System.out.println("  --" + f.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
    }

    // ------------------------------------------------------------------ scenarios

    static Target target(Config c) throws Exception {
        Target target = Target.of(c.target, c.url);
        if (c.publishPath != null) target.publishPrefix = c.publishPath;
        if (c.jwtSecret != null) target.authorization = "Bearer " + BenchToken.hs256(c.jwtSecret, 86_400);
        if (c.heraldGroup != null) {
            if (!(target instanceof Target.Herald) || c.perClient != 1) {
                throw new IllegalArgumentException("--herald-group needs --target herald and --per-client 1");
            }
            target.group = c.heraldGroup;
        }
        return target;
    }

    static LoadGen.Options options(Config c) {
        LoadGen.Options o = new LoadGen.Options();
        o.localAddrs = c.localAddrs;
        o.maxPendingConnects = c.maxPending;
        o.publishConns = c.publishConns;
        o.payloadPad = c.payloadPad;
        o.stalledRcvBuf = c.stalledRcvBuf;
        return o;
    }

    public static Map<String, Object> run(Config c) throws Exception {
        Target target = target(c);
        LoadGen.Options o = options(c);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("target", c.target);
        res.put("scenario", c.scenario);
        res.put("procs", c.procs);
        res.put("label", c.label == null ? c.target : c.label);
        res.put("startedAt", java.time.Instant.now().toString());
        Map<String, Object> cfg = new LinkedHashMap<>();
        for (Field f : Config.class.getFields()) cfg.put(f.getName(), f.get(c));
        res.put("config", cfg);
        Map<String, Object> server = new LinkedHashMap<>();
        res.put("server", server);
        server.put("pid", c.serverPid);
        server.put("jvm", ProcStats.isJvm(c.serverPid));
        server.put("rssKbBefore", ProcStats.rssKb(c.serverPid, c.serverChildren));
        if (c.gc) server.put("heapKbAfterGcBefore", ProcStats.heapAfterFullGcKb(c.serverPid));

        int channels = Math.max(1, c.channels);
        int stallEvery = c.scenario.equals("slow") && c.stallFraction > 0 ? (int) Math.round(1 / c.stallFraction) : 0;

        double lgCpu0 = ProcStats.cpuSeconds(ProcessHandle.current().pid(), false);
        long wall0 = System.nanoTime();
        Map<String, Object> loadgen = new LinkedHashMap<>();
        try (LoadGen lg = new LoadGen(target, channels, o); Fleet subs = Fleet.start(c, lg)) {
            // ---- connect everything
            long t0 = System.nanoTime();
            double serverCpu0 = ProcStats.cpuSeconds(c.serverPid, c.serverChildren);
            subs.addClients(c.streams, Math.min(c.perClient, channels), stallEvery);
            waitFor(() -> subs.tally().connecting == 0, c.connectTimeout, "all connects settled");
            Map<String, Object> conn = new LinkedHashMap<>();
            Tally ct = subs.tally();
            long est = ct.established;
            long firstNs = ct.firstConnectNs, lastNs = ct.lastEstablishedNs;
            conn.put("requested", c.streams);
            conn.put("established", est);
            conn.put("streaming", ct.streaming);
            conn.put("refused", ct.refused);
            conn.put("httpErrors", ct.httpErrors);
            conn.put("connectFailures", ct.connectFailures);
            conn.put("rampSeconds", (lastNs - firstNs) / 1e9);
            conn.put("connectsPerSec", est > 1 && lastNs > firstNs ? est / ((lastNs - firstNs) / 1e9) : null);
            conn.put("wallToSettleSeconds", (System.nanoTime() - t0) / 1e9);
            // the server's own cost of opening a stream: meaningful when the load generator limits the ramp
            double rampCpu = ProcStats.cpuSeconds(c.serverPid, c.serverChildren) - serverCpu0;
            conn.put("serverCpuSeconds", serverCpu0 < 0 ? null : rampCpu);
            conn.put("serverCpuUsPerConnect", serverCpu0 < 0 || est == 0 ? null : rampCpu * 1e6 / est);
            res.put("connect", conn);
            System.err.printf(Locale.ROOT, "[%s/%s] %d/%d streams up in %.1fs%n", c.target, c.scenario, est, c.streams, (lastNs - firstNs) / 1e9);
            sleep(c.warmup);

            Map<String, Object> m;
            switch (c.scenario) {
                case "idle": m = idle(c, lg, subs); break;
                case "fanout": m = fanout(c, lg, subs); break;
                case "channels": m = steady(c, lg, subs, allChannels(channels)); break;
                case "reconnect": m = reconnect(c, lg, subs, channels); break;
                case "slow": m = slow(c, lg, subs, channels); break;
                default: throw new IllegalArgumentException("unknown scenario " + c.scenario);
            }
            res.put("results", m);

            // ---- end: drain and check correctness
            lg.stopPublishing();
            waitFor(lg::publishIdle, 30, null);
            long dl = System.nanoTime() + (long) (c.drainTimeout * 1e9);
            while (subs.tally().missing > 0 && System.nanoTime() < dl) sleep(0.1);
            Map<String, Object> corr = new LinkedHashMap<>();
            Tally end = subs.tally();
            corr.put("published", lg.call(() -> lg.publishAcked));
            corr.put("publishErrors", lg.call(() -> lg.publishErrors));
            corr.put("expectedDeliveries", end.expectedDeliveries);
            corr.put("deliveries", end.deliveries);
            corr.put("loss", end.missing);
            corr.put("duplicates", end.duplicates);
            corr.put("foreign", end.foreign);
            corr.put("unexpectedCloses", end.unexpectedCloses);
            corr.put("reconnects", end.reconnects);
            corr.put("resets", end.resets);
            corr.put("protocolErrors", end.protocolErrors);
            corr.put("publishRttMs", hist(lg.call(() -> lg.publishRttUs.copy()), 1000.0));
            if (m.containsKey("lossNote")) corr.put("note", m.get("lossNote"));
            res.put("correctness", corr);
            server.put("rssKbAfter", ProcStats.rssKb(c.serverPid, c.serverChildren));
            if (c.gc) server.put("heapKbAfterGc", ProcStats.heapAfterFullGcKb(c.serverPid));
            // read while the workers still run; all of their CPU falls after lgCpu0, which predates them
            List<Map<String, Object>> procs = subs.processes(lgCpu0);
            loadgen.put("cpuSeconds", procs.stream().mapToDouble(p -> (Double) p.get("cpuSeconds")).sum());
            loadgen.put("wallSeconds", (System.nanoTime() - wall0) / 1e9);
            loadgen.put("procs", c.procs);
            loadgen.put("processes", procs);
        }
        res.put("loadgen", loadgen);
        if (c.out != null) {
            Path p = Path.of(c.out);
            if (p.getParent() != null) Files.createDirectories(p.getParent());
            Files.writeString(p, Json.write(res));
        }
        return res;
    }

    static int[] allChannels(int m) { int[] a = new int[m]; for (int i = 0; i < m; i++) a[i] = i; return a; }

    /** A measurement window: deliveries, server CPU, load generator CPU, wall time. */
    static final class Window {
        final LoadGen lg; final Fleet subs; final Config c;
        long d0, p0, t0; double cpu0, lg0;
        Window(LoadGen lg, Fleet subs, Config c) {
            this.lg = lg; this.subs = subs; this.c = c;
            subs.reset(Subscribers.Hist.LATENCY_US);
            d0 = subs.tally().deliveries; p0 = lg.call(() -> lg.publishAcked);
            cpu0 = ProcStats.cpuSeconds(c.serverPid, c.serverChildren);
            lg0 = subs.cpuSeconds();
            t0 = System.nanoTime();
        }
        Map<String, Object> end() {
            double dt = (System.nanoTime() - t0) / 1e9;
            Histogram h = subs.histogram(Subscribers.Hist.LATENCY_US);
            long d = subs.tally().deliveries - d0, p = lg.call(() -> lg.publishAcked) - p0;
            double cpu = ProcStats.cpuSeconds(c.serverPid, c.serverChildren) - cpu0;
            double lgc = subs.cpuSeconds() - lg0;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", dt);
            m.put("publishedPerSec", p / dt);
            m.put("deliveriesPerSec", d / dt);
            m.put("latencyMs", hist(h, 1000.0));
            m.put("serverCpuSeconds", c.serverPid > 0 ? cpu : null);
            m.put("serverCpuUtil", c.serverPid > 0 ? cpu / dt : null);
            m.put("serverCpuUsPerDelivery", c.serverPid > 0 && d > 0 ? cpu * 1e6 / d : null);
            m.put("loadgenCpuUtil", lgc / dt);
            return m;
        }
    }

    static Map<String, Object> idle(Config c, LoadGen lg, Fleet subs) {
        subs.reset(Subscribers.Hist.HEARTBEAT_LATENESS_MS, Subscribers.Hist.HEARTBEAT_GAP_MS);
        if (c.rate > 0) lg.startPublishing(c.rate, allChannels(Math.max(1, c.channels)), 0);
        Window w = new Window(lg, subs, c);
        sleep(c.duration);
        Map<String, Object> m = w.end();
        Tally t = subs.tally();
        m.put("streamsHeld", t.streaming);
        m.put("heartbeats", t.heartbeats);
        m.put("heartbeatLatenessMs", hist(subs.histogram(Subscribers.Hist.HEARTBEAT_LATENESS_MS), 1));
        m.put("heartbeatIntervalMs", hist(subs.histogram(Subscribers.Hist.HEARTBEAT_GAP_MS), 1));
        long rss = ProcStats.rssKb(c.serverPid, c.serverChildren);
        m.put("serverRssKb", rss);
        if (c.gc) {
            long heap = ProcStats.heapAfterFullGcKb(c.serverPid);
            m.put("serverHeapKbAfterGc", heap);
        }
        return m;
    }

    static Map<String, Object> steady(Config c, LoadGen lg, Fleet subs, int[] pubChannels) {
        lg.startPublishing(c.rate, pubChannels, 0);
        sleep(c.publishWarmup);
        Window w = new Window(lg, subs, c);
        sleep(c.duration);
        Map<String, Object> m = w.end();
        m.put("rate", c.rate);
        lg.stopPublishing();
        return m;
    }

    /**
     * Steps through every rate in --steps while the server keeps up, so each target gets latency and CPU per delivery
     * at several rates. It stops early only when deliveries fall below 80% of rate x subscribers or p99 exceeds
     * --p99-abort-ms. maxRateWithinLimit is the highest rate that, like every step before it, kept p99 within
     * --p99-limit-ms and delivered at least 80% (null if the first step did not); the report also works out, from the
     * steps, the highest rate whose own step did ({@link Report#bestStep}).
     */
    static Map<String, Object> fanout(Config c, LoadGen lg, Fleet subs) {
        double[] rates;
        if (c.steps == null || c.steps.isBlank()) rates = new double[]{c.rate};
        else rates = java.util.Arrays.stream(c.steps.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToDouble(Double::parseDouble).toArray();
        publishPathWarmup(c, lg);
        List<Object> steps = new ArrayList<>();
        Double maxOkRate = null, maxOkDeliveries = null;
        boolean allOkSoFar = true;
        String stop = "all steps run";
        for (double r : rates) {
            lg.startPublishing(r, new int[]{0}, 0);
            // let the step settle (the first step also warms up the JITs of both sides), then measure
            sleep(steps.isEmpty() ? Math.max(1, c.warmup) : 1);
            Window w = new Window(lg, subs, c);
            sleep(c.stepSeconds);
            Map<String, Object> s = w.end();
            s.put("rate", r);
            double expected = r * subs.tally().streaming;
            s.put("expectedDeliveriesPerSec", expected);
            double p99 = p99(s);
            double dps = (Double) s.get("deliveriesPerSec");
            boolean keptUp = dps >= 0.8 * expected;
            boolean ok = p99 <= c.p99LimitMs && keptUp;
            s.put("withinP99Limit", p99 <= c.p99LimitMs);
            steps.add(s);
            @SuppressWarnings("unchecked") Map<String, Object> lat = (Map<String, Object>) s.get("latencyMs");
            System.err.printf(Locale.ROOT, "[%s/fanout] rate %s/s: %.0f deliveries/s (expected %.0f), p50/p90/p99/p99.9/max %s/%s/%s/%s/%s ms%s,"
                            + " server cpu %s (%s us/delivery), loadgen cpu %.2f%n",
                    c.target, num(r), dps, expected, fmt(lat.get("p50")), fmt(lat.get("p90")), fmt(lat.get("p99")), fmt(lat.get("p999")),
                    fmt(lat.get("max")), p99 > c.p99LimitMs ? " (over " + num(c.p99LimitMs) + ")" : "",
                    fmt(s.get("serverCpuUtil")), fmt(s.get("serverCpuUsPerDelivery")), (Double) s.get("loadgenCpuUtil"));
            if (allOkSoFar && ok) { maxOkRate = r; maxOkDeliveries = dps; }
            else allOkSoFar = false;
            if (!keptUp) { stop = "deliveries fell below 80% of expected at " + num(r) + "/s"; break; }
            if (p99 > c.p99AbortMs) { stop = "p99 > " + num(c.p99AbortMs) + " ms (abort limit) at " + num(r) + "/s"; break; }
        }
        lg.stopPublishing();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("p99LimitMs", c.p99LimitMs);
        m.put("p99AbortMs", c.p99AbortMs);
        m.put("maxRateWithinLimit", maxOkRate);
        m.put("deliveriesPerSecAtMax", maxOkDeliveries);
        m.put("stepsRun", steps.size());
        m.put("stepsPlanned", rates.length);
        m.put("highestRateRun", steps.isEmpty() ? null : ((Map<?, ?>) steps.get(steps.size() - 1)).get("rate"));
        m.put("stoppedBecause", stop);
        return m;
    }

    /**
     * Publishes --fanout-publish-warmup seconds at --fanout-publish-warmup-rate to "ch1", a channel no subscriber is
     * on, from a publisher of its own (so the run's own counts and ids are untouched). At the fan-out's own rates a JVM
     * server would otherwise still be compiling its publish path with C2 during the measured steps (a few hundred
     * publishes by the 10 events/s step): on the one core it shares with the server's writer, that compiler work made
     * some passes over the 10,000 sockets tens of milliseconds late. nchan has nothing to warm; it is published to
     * the same way. Then, for a JVM server, one full collection (jcmd GC.run, as --gc does at the end): the warm-up's
     * garbage would otherwise bring young collections into the first steps that copy the 10,000 streams' objects,
     * still young after a 3 s connect, between survivor spaces, 90-130 ms on one core; a server that has held its
     * streams for a while has them in the old generation.
     */
    static void publishPathWarmup(Config c, LoadGen lg) {
        if (c.fanoutPublishWarmup <= 0) return;
        long events = (long) Math.ceil(c.fanoutPublishWarmup * c.fanoutPublishWarmupRate);
        try (LoadGen warm = new LoadGen(lg.target, 2, lg.opt)) {
            warm.startPublishing(c.fanoutPublishWarmupRate, new int[]{1}, events);
            waitFor(warm::publishIdle, c.fanoutPublishWarmup * 3 + 30, "fan-out publish warm-up");
            long acked = warm.call(() -> warm.publishAcked), errors = warm.call(() -> warm.publishErrors);
            if (acked != events || errors != 0) {
                throw new IllegalStateException("fan-out publish warm-up: " + acked + " of " + events
                        + " publishes acknowledged, " + errors + " errors");
            }
            System.err.printf(Locale.ROOT, "[%s/fanout] publish warm-up: %d events to a channel without subscribers%n",
                    c.target, events);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (c.gc && c.serverPid > 0 && ProcStats.fullGc(c.serverPid)) {
            System.err.printf(Locale.ROOT, "[%s/fanout] full GC after the warm-up%n", c.target);
        }
        sleep(2); // the compile queue drains
    }

    static Map<String, Object> reconnect(Config c, LoadGen lg, Fleet subs, int channels) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] all = allChannels(channels);
        double rate = c.rate > 0 ? c.rate : 1000;
        // phase 1: a few events per channel so every client holds a Last-Event-ID
        lg.startPublishing(rate, all, (long) c.beforeDrop * channels);
        waitFor(lg::publishIdle, 60, "pre-drop publishes");
        waitFor(() -> subs.tally().missing == 0, c.drainTimeout, "pre-drop deliveries");
        m.put("streamsBeforeDrop", subs.tally().streaming);
        for (int i = 0; i < c.stormWarmups; i++) {
            Map<String, Object> warm = storm(c, lg, subs, all, new LinkedHashMap<>());
            System.err.printf(Locale.ROOT, "[%s/reconnect] warm-up storm %d: caught up in %s s%n", c.target, i + 1,
                    fmt(warm.get("caughtUpSeconds")));
            if (lg.target.resumes() && !Boolean.TRUE.equals(warm.get("caughtUp"))) {
                throw new IllegalStateException("warm-up storm " + (i + 1) + " did not catch up: " + warm);
            }
        }
        return storm(c, lg, subs, all, m);
    }

    /** Phases 2 and 3 of the reconnect scenario: everyone drops, events are published, everyone resumes. */
    static Map<String, Object> storm(Config c, LoadGen lg, Fleet subs, int[] all, Map<String, Object> m) {
        double rate = c.rate > 0 ? c.rate : 1000;
        int channels = all.length;
        // phase 2: everyone drops at once, events published meanwhile
        subs.dropAll();
        long pDrop = lg.call(() -> lg.publishAcked);
        lg.startPublishing(rate, all, (long) c.duringDrop * channels);
        waitFor(lg::publishIdle, 60, "publishes while dropped");
        m.put("publishedWhileDropped", lg.call(() -> lg.publishAcked) - pDrop);
        m.put("missingBeforeReconnect", subs.tally().missing);
        // phase 3: storm; everyone reconnects with its Last-Event-ID
        double cpu0 = ProcStats.cpuSeconds(c.serverPid, c.serverChildren);
        long r0 = subs.tally().reconnects;
        long t0 = System.nanoTime();
        subs.reconnectAll(c.reconnectPending);
        double timeout = lg.target.resumes() ? c.catchupTimeout : Math.min(c.catchupTimeout, 10);
        long deadline = t0 + (long) (timeout * 1e9);
        Double allUp = null, caughtUp = null;
        long total = subs.tally().resumable;
        while (System.nanoTime() < deadline) {
            Tally t = subs.tally();
            if (allUp == null && t.streaming >= total) allUp = (System.nanoTime() - t0) / 1e9;
            if (allUp != null && t.missing == 0) { caughtUp = (System.nanoTime() - t0) / 1e9; break; }
            sleep(0.01);
        }
        Tally end = subs.tally();
        m.put("clients", total);
        m.put("allReconnectedSeconds", allUp);
        m.put("caughtUpSeconds", caughtUp);
        m.put("caughtUp", caughtUp != null);
        m.put("missingAtEnd", end.missing);
        m.put("reconnects", end.reconnects - r0);
        m.put("resets", end.resets);
        m.put("serverCpuSecondsDuringStorm", c.serverPid > 0 ? ProcStats.cpuSeconds(c.serverPid, c.serverChildren) - cpu0 : null);
        if (!lg.target.resumes()) m.put("lossNote", "target does not replay from Last-Event-ID; loss is expected");
        return m;
    }

    static Map<String, Object> slow(Config c, LoadGen lg, Fleet subs, int channels) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] all = allChannels(channels);
        lg.startPublishing(c.rate, all, 0);
        sleep(Math.max(1, c.publishWarmup)); // the baseline is a steady state too, not the JIT's first seconds
        // both windows watch the server's sockets the same way (each look costs the load generator's core some
        // time), so that watching for drops makes no difference between them
        int serverPort = lg.target.port;
        Window w = new Window(lg, subs, c);
        double watchMs = watchDrops(serverPort, List.of(), System.nanoTime(), c.baseline, new LinkedHashMap<>());
        m.put("baseline", w.end());
        m.put("socketWatchMsPerLook", Math.round(watchMs * 100) / 100.0);
        // stall ~1%, in whichever process each stall candidate lives
        List<Long> stalledKeys = subs.stall();
        long t0 = System.nanoTime();
        Window w2 = new Window(lg, subs, c);
        Map<Long, Double> droppedAt = new LinkedHashMap<>();
        watchDrops(serverPort, stalledKeys, t0, c.duration, droppedAt);
        Map<String, Object> during = w2.end();
        m.put("withStalled", during);
        m.put("stalledClients", stalledKeys.size());
        m.put("stalledDropped", droppedAt.size());
        List<Double> times = new ArrayList<>(droppedAt.values());
        times.sort(null);
        m.put("dropSecondsP50", times.isEmpty() ? null : times.get(times.size() / 2));
        m.put("dropSecondsMax", times.size() == stalledKeys.size() && !times.isEmpty() ? times.get(times.size() - 1) : null);
        m.put("observedSeconds", c.duration);
        double p99a = p99((Map<?, ?>) m.get("baseline"));
        double p99b = p99(during);
        m.put("othersP99MsWithout", p99a);
        m.put("othersP99MsWith", p99b);
        lg.stopPublishing();
        return m;
    }

    /**
     * For {@code seconds} from {@code t0}, every 0.25 s: notes in {@code droppedAt} when each of {@code keys} (a client
     * address and port) stops being an established connection on the server's port. Answers the mean time of one
     * look at the server's sockets, in ms.
     */
    static double watchDrops(int serverPort, List<Long> keys, long t0, double seconds, Map<Long, Double> droppedAt) {
        long end = t0 + (long) (seconds * 1e9);
        long readNanos = 0;
        int reads = 0;
        while (System.nanoTime() < end) {
            long r0 = System.nanoTime();
            Map<Long, Integer> socks = ProcStats.serverSockets(serverPort);
            readNanos += System.nanoTime() - r0;
            reads++;
            double now = (System.nanoTime() - t0) / 1e9;
            for (Long k : keys) {
                if (droppedAt.containsKey(k)) continue;
                Integer st = socks.get(k);
                if (st == null || st != 1) droppedAt.put(k, now); // server closed (FIN_WAIT*/gone) or reset
            }
            sleep(Math.min(0.25, Math.max(0, (end - System.nanoTime()) / 1e9)));
        }
        return reads == 0 ? 0 : readNanos / 1e6 / reads;
    }

    // ------------------------------------------------------------------ helpers

    /** p99 of a window in ms; +inf when nothing was delivered. */
    static double p99(Map<?, ?> window) {
        Object v = ((Map<?, ?>) window.get("latencyMs")).get("p99");
        return v == null ? Double.POSITIVE_INFINITY : ((Number) v).doubleValue();
    }

    static Map<String, Object> hist(Histogram h, double div) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) return m;
        m.put("p50", h.getValueAtPercentile(50) / div);
        m.put("p90", h.getValueAtPercentile(90) / div);
        m.put("p99", h.getValueAtPercentile(99) / div);
        m.put("p999", h.getValueAtPercentile(99.9) / div);
        m.put("max", h.getMaxValue() / div);
        m.put("mean", h.getMean() / div);
        return m;
    }

    static void sleep(double s) {
        try { Thread.sleep((long) (s * 1000)); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    static void waitFor(BooleanSupplier cond, double seconds, String what) {
        long dl = System.nanoTime() + (long) (seconds * 1e9);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > dl) {
                if (what != null) System.err.println("WARN: timed out waiting for " + what);
                return;
            }
            sleep(0.02);
        }
    }

    /** A rate or limit without needless decimals: 1, 2.5, 1000. */
    static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String fmt(Object o) {
        if (o == null) return "-";
        if (o instanceof Double) {
            double d = (Double) o;
            return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        return o.toString();
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> r, String p) {
        Object cur = r;
        for (String k : p.split("\\.")) {
            if (!(cur instanceof Map)) return null;
            cur = ((Map<String, Object>) cur).get(k);
        }
        return cur;
    }

    /** One human line per run. */
    public static String summary(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("RESULT ");
        sb.append("target=").append(r.get("label")).append(" scenario=").append(r.get("scenario"));
        sb.append(" streams=").append(fmt(path(r, "connect.established"))).append('/').append(fmt(path(r, "connect.requested")));
        sb.append(" connects/s=").append(fmt(path(r, "connect.connectsPerSec")));
        String s = (String) r.get("scenario");
        Set<String> windowed = Set.of("idle", "channels");
        if (windowed.contains(s)) {
            sb.append(" deliveries/s=").append(fmt(path(r, "results.deliveriesPerSec")));
            sb.append(" p50/p99/p99.9/max ms=").append(fmt(path(r, "results.latencyMs.p50"))).append('/')
                    .append(fmt(path(r, "results.latencyMs.p99"))).append('/').append(fmt(path(r, "results.latencyMs.p999")))
                    .append('/').append(fmt(path(r, "results.latencyMs.max")));
            sb.append(" cpu_us/delivery=").append(fmt(path(r, "results.serverCpuUsPerDelivery")));
        }
        if (s.equals("idle")) {
            sb.append(" held=").append(fmt(path(r, "results.streamsHeld")));
            sb.append(" hb_late_p99_ms=").append(fmt(path(r, "results.heartbeatLatenessMs.p99")));
            sb.append(" server_cpu_util=").append(fmt(path(r, "results.serverCpuUtil")));
        }
        if (s.equals("fanout")) {
            sb.append(" max_rate_within_p99=").append(path(r, "results.maxRateWithinLimit") instanceof Number n ? num(n.doubleValue()) : "-");
            sb.append(" deliveries/s=").append(fmt(path(r, "results.deliveriesPerSecAtMax")));
            sb.append(" steps=").append(fmt(path(r, "results.stepsRun"))).append('/').append(fmt(path(r, "results.stepsPlanned")));
            Object stepList = path(r, "results.steps");
            if (stepList instanceof List) {
                // per step: rate:p99 ms:server CPU us per delivery
                StringBuilder per = new StringBuilder();
                for (Object o : (List<?>) stepList) {
                    if (!(o instanceof Map)) continue;
                    @SuppressWarnings("unchecked") Map<String, Object> st = (Map<String, Object>) o;
                    per.append(per.length() == 0 ? "" : ",").append(st.get("rate") instanceof Number n ? num(n.doubleValue()) : "-").append(':')
                            .append(fmt(path(st, "latencyMs.p99"))).append(':').append(fmt(st.get("serverCpuUsPerDelivery")));
                }
                sb.append(" rate:p99_ms:cpu_us/delivery=").append(per.length() == 0 ? "-" : per);
            }
            sb.append(" (").append(path(r, "results.stoppedBecause")).append(')');
        }
        if (s.equals("reconnect")) {
            sb.append(" all_reconnected_s=").append(fmt(path(r, "results.allReconnectedSeconds")));
            sb.append(" caught_up_s=").append(fmt(path(r, "results.caughtUpSeconds")));
            sb.append(" resets=").append(fmt(path(r, "results.resets")));
        }
        if (s.equals("slow")) {
            sb.append(" others_p99_ms without/with=").append(fmt(path(r, "results.othersP99MsWithout"))).append('/')
                    .append(fmt(path(r, "results.othersP99MsWith")));
            sb.append(" stalled_dropped=").append(fmt(path(r, "results.stalledDropped"))).append('/').append(fmt(path(r, "results.stalledClients")));
            sb.append(" drop_s_p50/max=").append(fmt(path(r, "results.dropSecondsP50"))).append('/')
                    .append(fmt(path(r, "results.dropSecondsMax")));
        }
        sb.append(" rss_mb=").append(path(r, "server.rssKbAfter") instanceof Long && (Long) path(r, "server.rssKbAfter") > 0
                ? fmt(((Long) path(r, "server.rssKbAfter")) / 1024.0) : "-");
        Object heap = path(r, "server.heapKbAfterGc");
        sb.append(" heap_after_gc_mb=").append(heap instanceof Long && (Long) heap > 0 ? fmt(((Long) heap) / 1024.0) : "-");
        sb.append(" loss=").append(fmt(path(r, "correctness.loss"))).append(" dup=").append(fmt(path(r, "correctness.duplicates")));
        return sb.toString();
    }

    static void writeString(Path p, String s) throws IOException { Files.writeString(p, s); }
}
