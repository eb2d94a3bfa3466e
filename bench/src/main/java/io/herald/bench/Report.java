package io.herald.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads result JSON files from a directory (newest per target+scenario wins), prints a comparison table and writes
 * PNG plots next to them. java -cp ... io.herald.bench.Report bench/results
 */
public final class Report {
    /** The table goes to stdout in UTF-8 whatever the locale (it has a µ in it). */
    static PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "results");
        // scenario -> target -> result
        Map<String, Map<String, Map<String, Object>>> by = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path p : files) {
            try {
                if (!(Json.parse(Files.readString(p)) instanceof Map<?, ?> parsed)) continue;
                @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) parsed;
                if (!(r.get("scenario") instanceof String scenario)) continue;
                String label = r.get("label") instanceof String l ? l : r.get("target") instanceof String t ? t
                        : p.getFileName().toString().replaceFirst("\\.json$", "");
                Map<String, Map<String, Object>> t = by.computeIfAbsent(scenario, k -> new TreeMap<>());
                Map<String, Object> prev = t.get(label);
                if (prev == null || startedAt(prev).compareTo(startedAt(r)) <= 0) t.put(label, r);
            } catch (Exception e) {
                System.err.println("skip " + p + ": " + e);
            }
        }
        printTable(by);
        plots(dir, by);
    }

    static String startedAt(Map<String, Object> r) { return r.get("startedAt") instanceof String s ? s : ""; }

    static Object g(Map<String, Object> r, String path) { return Bench.path(r, path); }

    static double d(Object o) { return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN; }

    static String f(Object o) {
        if (o == null) return "-";
        if (o instanceof Number) {
            double v = ((Number) o).doubleValue();
            if (Double.isNaN(v) || v < 0) return "-"; // every metric is >= 0; ProcStats gives -1 for "not known" (no JVM heap)
            if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return o.toString();
    }

    /** A table row: a label and how to get a target's cell from its result. */
    record Row(String label, Function<Map<String, Object>, Object> value) {}

    static Row row(String path, String label) { return new Row(label, r -> g(r, path)); }

    static Row[] rows(String... spec) {
        Row[] a = new Row[spec.length];
        for (int i = 0; i < spec.length; i++) { String[] pm = spec[i].split("\\|"); a[i] = row(pm[0], pm[1]); }
        return a;
    }

    /** A count without decimals (parsed JSON numbers are all doubles). */
    static String count(Object o) { return o instanceof Number n && n.doubleValue() >= 0 ? Bench.num(n.doubleValue()) : "-"; }

    /** "a/b", or "-" when neither is known. */
    /** (after - before) / streams held, or null when a figure is missing. */
    static Double perStream(Map<String, Object> r, String after, String before) {
        if (g(r, after) instanceof Number a && g(r, before) instanceof Number b && g(r, "connect.established") instanceof Number n
                && a.doubleValue() > 0 && b.doubleValue() > 0 && n.doubleValue() > 0) {
            return (a.doubleValue() - b.doubleValue()) / n.doubleValue();
        }
        return null;
    }

    static String pair(String a, String b) { return a.equals("-") && b.equals("-") ? "-" : a + "/" + b; }

    /** The fan-out steps of a result (an empty list when there are none or they are not in the expected shape). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Map<String, Object> r) {
        List<Map<String, Object>> l = new ArrayList<>();
        if (g(r, "results.steps") instanceof List<?> steps)
            for (Object o : steps) if (o instanceof Map<?, ?> m && m.get("rate") instanceof Number) l.add((Map<String, Object>) m);
        return l;
    }

    static Map<String, Object> stepAt(Map<String, Object> r, double rate) {
        for (Map<String, Object> s : steps(r)) if (d(s.get("rate")) == rate) return s;
        return null;
    }

    /** Whether a fan-out step kept up: at least 80% of rate x subscribers delivered (Bench's rule). */
    static boolean keptUp(Map<String, Object> step) {
        return d(step.get("deliveriesPerSec")) >= 0.8 * d(step.get("expectedDeliveriesPerSec"));
    }

    /**
     * The highest-rate step within the run's p99 limit that kept up (80% of rate x subscribers), whatever the steps
     * below it did: on a VM a write can cost more when the core idles between events (10.7 us at 1 event/s against
     * 6.8 at 10 here), so the p99 need not rise with the rate. Worked out from the steps, so older results read too.
     */
    static Map<String, Object> bestStep(Map<String, Object> r) {
        Object l = g(r, "results.p99LimitMs");
        if (l == null) l = g(r, "config.p99LimitMs");
        double limit = l instanceof Number n ? n.doubleValue() : 100;
        Map<String, Object> best = null;
        for (Map<String, Object> s : steps(r)) {
            if (keptUp(s) && d(g(s, "latencyMs.p99")) <= limit && (best == null || d(s.get("rate")) > d(best.get("rate")))) best = s;
        }
        return best;
    }

    static List<Row> fanoutRows(Map<String, Map<String, Object>> fan) {
        // the p99 limit the runs used (older results keep it in config only)
        Set<String> limits = new TreeSet<>();
        for (Map<String, Object> r : fan.values()) {
            Object l = g(r, "results.p99LimitMs");
            if (l == null) l = g(r, "config.p99LimitMs");
            if (l instanceof Number n) limits.add(Bench.num(n.doubleValue()));
        }
        String limit = limits.size() == 1 ? limits.iterator().next() + "ms" : "limit";
        List<Row> rows = new ArrayList<>(List.of(rows(
                "connect.established|subscribers")));
        rows.add(new Row("max events/s with p99<=" + limit, r -> count(g(r, "results.maxRateWithinLimit"))));
        rows.addAll(List.of(rows("results.deliveriesPerSecAtMax|deliveries/s at that rate")));
        rows.add(new Row("best events/s with p99<=" + limit + " (any step)", r -> {
            Map<String, Object> s = bestStep(r);
            return s == null ? "-" : count(s.get("rate"));
        }));
        rows.add(new Row("deliveries/s at that rate", r -> {
            Map<String, Object> s = bestStep(r);
            return s == null ? null : s.get("deliveriesPerSec");
        }));
        rows.addAll(List.of(rows("results.stoppedBecause|stopped because",
                "correctness.loss|loss", "correctness.duplicates|dup")));
        TreeSet<Double> rates = new TreeSet<>();
        for (Map<String, Object> r : fan.values()) for (Map<String, Object> s : steps(r)) rates.add(d(s.get("rate")));
        for (double rate : rates) {
            rows.add(new Row("p99 ms @ " + Bench.num(rate) + "/s", r -> {
                Map<String, Object> s = stepAt(r, rate);
                return s == null ? null : g(s, "latencyMs.p99");
            }));
        }
        for (double rate : rates) {
            rows.add(new Row("server CPU µs/delivery @ " + Bench.num(rate) + "/s", r -> {
                Map<String, Object> s = stepAt(r, rate);
                return s == null ? null : s.get("serverCpuUsPerDelivery");
            }));
        }
        return rows;
    }

    static void printTable(Map<String, Map<String, Map<String, Object>>> by) {
        // rows: metric; columns: targets
        Set<String> targets = new TreeSet<>();
        by.values().forEach(m -> targets.addAll(m.keySet()));
        Map<String, List<Row>> metrics = new LinkedHashMap<>();
        List<Row> idle = new ArrayList<>(List.of(rows(
                "connect.established|streams held", "connect.connectsPerSec|connects/s",
                "connect.serverCpuUsPerConnect|server CPU us/connect", "server.rssKbAfter|RSS KiB",
                "results.serverHeapKbAfterGc|heap after GC KiB")));
        // growth per held stream: after minus before connecting, over the streams held
        idle.add(new Row("RSS growth per stream KiB", r -> perStream(r, "results.serverRssKb", "server.rssKbBefore")));
        idle.add(new Row("heap growth per stream KiB", r -> perStream(r, "results.serverHeapKbAfterGc", "server.heapKbAfterGcBefore")));
        idle.addAll(List.of(rows("results.serverCpuUtil|idle CPU (cores)",
                "results.heartbeatLatenessMs.p99|heartbeat late p99 ms", "results.heartbeatLatenessMs.max|heartbeat late max ms",
                "results.heartbeatIntervalMs.max|heartbeat gap max ms", "correctness.loss|loss")));
        metrics.put("idle", idle);
        metrics.put("start", List.of(rows("results.medianMs|start to first response, median ms",
                "results.minMs|fastest ms", "results.maxMs|slowest ms", "results.runs|runs")));
        if (by.containsKey("fanout")) metrics.put("fanout", fanoutRows(by.get("fanout")));
        metrics.put("channels", List.of(rows(
                "connect.established|clients", "results.deliveriesPerSec|deliveries/s", "results.latencyMs.p50|p50 ms",
                "results.latencyMs.p99|p99 ms", "results.latencyMs.p999|p99.9 ms", "results.latencyMs.max|max ms",
                "results.serverCpuUsPerDelivery|server CPU us/delivery", "correctness.loss|loss", "correctness.duplicates|dup")));
        metrics.put("reconnect", List.of(rows(
                "results.clients|clients", "results.allReconnectedSeconds|all reconnected s", "results.caughtUpSeconds|all caught up gap-free s",
                "results.missingAtEnd|still missing at end", "results.resets|reset events", "results.serverCpuSecondsDuringStorm|server CPU s in storm",
                "correctness.duplicates|dup")));
        List<Row> slow = new ArrayList<>(List.of(rows(
                "connect.established|clients", "results.othersP99MsWithout|others p99 ms, none stalled",
                "results.othersP99MsWith|others p99 ms, 1% stalled")));
        slow.add(new Row("stalled dropped", r -> pair(count(g(r, "results.stalledDropped")), count(g(r, "results.stalledClients")))));
        // the max is only known ("-" otherwise) when every stalled client was dropped within the observed time
        slow.add(new Row("drop time p50/max s", r -> pair(f(g(r, "results.dropSecondsP50")), f(g(r, "results.dropSecondsMax")))));
        slow.addAll(List.of(rows("server.rssKbAfter|RSS KiB after", "correctness.loss|loss (non-stalled)")));
        metrics.put("slow", slow);
        // one block per scenario, with the targets that ran it as columns (herald+appcds only runs start)
        for (Map.Entry<String, List<Row>> e : metrics.entrySet()) {
            Map<String, Map<String, Object>> t = by.get(e.getKey());
            if (t == null) continue;
            List<String> cols = targets.stream().filter(t::containsKey).toList();
            List<String[]> rows = new ArrayList<>();
            String[] head = new String[cols.size() + 1];
            head[0] = "== " + e.getKey();
            for (int i = 0; i < cols.size(); i++) head[i + 1] = cols.get(i);
            rows.add(head);
            for (Row m : e.getValue()) {
                String[] row = new String[cols.size() + 1];
                row[0] = "  " + m.label();
                for (int i = 0; i < cols.size(); i++) {
                    Map<String, Object> r = t.get(cols.get(i));
                    String cell;
                    try {
                        cell = r == null ? "" : f(m.value().apply(r));
                    } catch (RuntimeException ex) { // a result of an unexpected shape
                        cell = "?";
                    }
                    row[i + 1] = cell;
                }
                rows.add(row);
            }
            int[] w = new int[cols.size() + 1];
            for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    sb.append(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("  %" + Math.min(w[i], 40) + "s", r[i]));
                }
                out.println(sb);
            }
        }
    }

    static void plots(Path dir, Map<String, Map<String, Map<String, Object>>> by) {
        Map<String, Map<String, Object>> fan = by.get("fanout");
        if (fan != null) plot("fanout", () -> fanoutPlots(dir, fan));
        // a 2x2 panel of bar charts saved as separate small PNGs
        plot("idle-rss.png", () -> bar(dir, by, "idle", 1 / 1024.0, "Idle hold: server RSS (MiB)", "idle-rss.png", "server.rssKbAfter"));
        plot("channels-cpu.png", () -> bar(dir, by, "channels", 1, "Many channels: server CPU per delivery (us)", "channels-cpu.png", "results.serverCpuUsPerDelivery"));
        plot("channels-p99.png", () -> bar(dir, by, "channels", 1, "Many channels: p99 latency (ms)", "channels-p99.png", "results.latencyMs.p99"));
        plot("reconnect.png", () -> bar(dir, by, "reconnect", 1, "Reconnect storm: time to catch up gap-free (s)", "reconnect.png", "results.caughtUpSeconds"));
        plot("start.png", () -> bar(dir, by, "start", 1, "Start to first served request, median (ms)", "start.png", "results.medianMs"));
        plot("slow-p99.png", () -> bar(dir, by, "slow", 1, "Slow clients: the others' p99 (ms)", "slow-p99.png",
                "results.othersP99MsWithout|none stalled", "results.othersP99MsWith|1% stalled"));
    }

    interface PlotJob { void run() throws Exception; }

    /** One plot failing (odd data, a headless AWT problem) must not cost the others or the table. */
    static void plot(String what, PlotJob job) {
        try { job.run(); } catch (Exception | Error e) { System.err.println("plot " + what + " failed: " + e); }
    }

    static XYChart rateChart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("events/s published").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        return c;
    }

    /** fanout-p99.png, fanout-throughput.png and fanout-cpu.png: one series per target over the rate steps. */
    static void fanoutPlots(Path dir, Map<String, Map<String, Object>> fan) throws Exception {
        double subs = 0;
        for (Map<String, Object> r : fan.values()) { double n = d(g(r, "connect.established")); if (n > subs) subs = n; }
        String who = subs > 0 ? " (" + (subs >= 1000 && subs % 1000 == 0 ? Bench.num(subs / 1000) + "k" : Bench.num(subs)) + " subscribers, 1 channel)" : "";
        XYChart c = rateChart("Fan-out: p99 latency vs publish rate" + who, "p99 ms");
        XYChart c2 = rateChart("Fan-out: deliveries/s vs publish rate", "deliveries/s");
        XYChart c3 = rateChart("Fan-out: server CPU per delivery vs publish rate" + who, "server CPU µs per delivery");
        for (Map.Entry<String, Map<String, Object>> e : fan.entrySet()) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>(), y2 = new ArrayList<>(), x3 = new ArrayList<>(), y3 = new ArrayList<>();
            for (Map<String, Object> sm : steps(e.getValue())) {
                double rate = d(sm.get("rate"));
                if (!(rate > 0)) continue;
                double cpu = d(sm.get("serverCpuUsPerDelivery"));
                if (cpu > 0) { x3.add(rate); y3.add(cpu); }
                double p99 = d(g(sm, "latencyMs.p99"));
                if (Double.isNaN(p99)) continue;
                x.add(rate); y.add(Math.max(p99, 0.01)); y2.add(Math.max(d(sm.get("deliveriesPerSec")), 1));
            }
            if (!x.isEmpty()) { c.addSeries(e.getKey(), x, y); c2.addSeries(e.getKey(), x, y2); }
            if (!x3.isEmpty()) c3.addSeries(e.getKey(), x3, y3);
        }
        if (!c.getSeriesMap().isEmpty()) {
            BitmapEncoder.saveBitmap(c, dir.resolve("fanout-p99.png").toString(), BitmapEncoder.BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(c2, dir.resolve("fanout-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        if (!c3.getSeriesMap().isEmpty())
            BitmapEncoder.saveBitmap(c3, dir.resolve("fanout-cpu.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * A bar chart of one or more measures per target, each given as "json.path|legend label" (the label shows only
     * when there are several); a target is left out unless it has every measure.
     */
    static void bar(Path dir, Map<String, Map<String, Map<String, Object>>> by, String scenario, double mul,
                    String title, String file, String... measures) throws Exception {
        Map<String, Map<String, Object>> t = by.get(scenario);
        if (t == null) return;
        List<String> xs = new ArrayList<>();
        List<List<Double>> ys = new ArrayList<>();
        for (int k = 0; k < measures.length; k++) ys.add(new ArrayList<>());
        for (Map.Entry<String, Map<String, Object>> e : t.entrySet()) {
            double[] v = new double[measures.length];
            boolean all = true;
            for (int k = 0; k < measures.length; k++) {
                v[k] = d(g(e.getValue(), measures[k].split("\\|")[0]));
                all &= !Double.isNaN(v[k]) && v[k] >= 0;
            }
            if (!all) continue;
            xs.add(e.getKey());
            for (int k = 0; k < measures.length; k++) ys.get(k).add(v[k] * mul);
        }
        if (xs.isEmpty()) return;
        CategoryChart c = new CategoryChartBuilder().width(600).height(400).title(title).build();
        c.getStyler().setLegendVisible(measures.length > 1);
        c.getStyler().setLabelsVisible(true);
        for (int k = 0; k < measures.length; k++) {
            String[] pl = measures[k].split("\\|");
            c.addSeries(pl.length > 1 ? pl[1] : scenario, xs, ys.get(k));
        }
        BitmapEncoder.saveBitmap(c, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
