package io.herald.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads result JSON files from a directory (newest per target+scenario wins), prints a comparison table and writes
 * PNG plots next to them. java -cp ... io.herald.bench.Report bench/results
 */
public final class Report {
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
                @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) Json.parse(Files.readString(p));
                if (r.get("scenario") == null) continue;
                Map<String, Map<String, Object>> t = by.computeIfAbsent((String) r.get("scenario"), k -> new TreeMap<>());
                Map<String, Object> prev = t.get((String) r.get("label"));
                if (prev == null || ((String) prev.get("startedAt")).compareTo((String) r.get("startedAt")) < 0)
                    t.put((String) r.get("label"), r);
            } catch (RuntimeException e) {
                System.err.println("skip " + p + ": " + e);
            }
        }
        printTable(by);
        plots(dir, by);
    }

    static Object g(Map<String, Object> r, String path) { return Bench.path(r, path); }

    static double d(Object o) { return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN; }

    static String f(Object o) {
        if (o == null) return "-";
        if (o instanceof Number) {
            double v = ((Number) o).doubleValue();
            if (Double.isNaN(v)) return "-";
            if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return o.toString();
    }

    static void printTable(Map<String, Map<String, Map<String, Object>>> by) {
        // rows: metric; columns: targets
        List<String[]> rows = new ArrayList<>();
        java.util.Set<String> targets = new java.util.TreeSet<>();
        by.values().forEach(m -> targets.addAll(m.keySet()));
        List<String> cols = new ArrayList<>(targets);
        Map<String, String[]> metrics = new LinkedHashMap<>();
        metrics.put("idle", new String[]{
                "connect.established|streams held", "connect.connectsPerSec|connects/s", "server.rssKbAfter|RSS KiB",
                "results.serverHeapKbAfterGc|heap after GC KiB", "results.serverCpuUtil|idle CPU (cores)",
                "results.heartbeatLatenessMs.p99|heartbeat late p99 ms", "results.heartbeatIntervalMs.max|heartbeat gap max ms",
                "correctness.loss|loss"});
        metrics.put("fanout", new String[]{
                "connect.established|subscribers", "results.maxRateWithinLimit|max events/s with p99<=100ms",
                "results.deliveriesPerSecAtMax|deliveries/s at that rate", "results.stoppedBecause|stopped because",
                "correctness.loss|loss", "correctness.duplicates|dup"});
        metrics.put("channels", new String[]{
                "connect.established|clients", "results.deliveriesPerSec|deliveries/s", "results.latencyMs.p50|p50 ms",
                "results.latencyMs.p99|p99 ms", "results.latencyMs.p999|p99.9 ms", "results.latencyMs.max|max ms",
                "results.serverCpuUsPerDelivery|server CPU us/delivery", "correctness.loss|loss", "correctness.duplicates|dup"});
        metrics.put("reconnect", new String[]{
                "results.clients|clients", "results.allReconnectedSeconds|all reconnected s", "results.caughtUpSeconds|all caught up gap-free s",
                "results.missingAtEnd|still missing at end", "results.resets|reset events", "results.serverCpuSecondsDuringStorm|server CPU s in storm",
                "correctness.duplicates|dup"});
        metrics.put("slow", new String[]{
                "connect.established|clients", "results.othersP99MsWithout|others p99 ms, none stalled",
                "results.othersP99MsWith|others p99 ms, 1% stalled", "results.stalledDropped|stalled dropped",
                "results.stalledClients|stalled", "results.dropSecondsP50|drop time p50 s", "results.dropSecondsMax|drop time max s",
                "server.rssKbAfter|RSS KiB after", "correctness.loss|loss (non-stalled)"});
        for (Map.Entry<String, String[]> e : metrics.entrySet()) {
            Map<String, Map<String, Object>> t = by.get(e.getKey());
            if (t == null) continue;
            String[] head = new String[cols.size() + 1];
            head[0] = "== " + e.getKey();
            for (int i = 0; i < cols.size(); i++) head[i + 1] = cols.get(i);
            rows.add(head);
            for (String m : e.getValue()) {
                String[] pm = m.split("\\|");
                String[] row = new String[cols.size() + 1];
                row[0] = "  " + pm[1];
                for (int i = 0; i < cols.size(); i++) {
                    Map<String, Object> r = t.get(cols.get(i));
                    row[i + 1] = r == null ? "" : f(g(r, pm[0]));
                }
                rows.add(row);
            }
        }
        int[] w = new int[cols.size() + 1];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("  %" + Math.min(w[i], 40) + "s", r[i]));
            }
            System.out.println(sb);
        }
    }

    @SuppressWarnings("unchecked")
    static void plots(Path dir, Map<String, Map<String, Map<String, Object>>> by) throws Exception {
        Map<String, Map<String, Object>> fan = by.get("fanout");
        if (fan != null) {
            XYChart c = new XYChartBuilder().width(800).height(500).title("Fan-out: p99 latency vs publish rate (10k subscribers, 1 channel)")
                    .xAxisTitle("events/s published").yAxisTitle("p99 ms").build();
            c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
            XYChart c2 = new XYChartBuilder().width(800).height(500).title("Fan-out: deliveries/s vs publish rate")
                    .xAxisTitle("events/s published").yAxisTitle("deliveries/s").build();
            c2.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
            for (Map.Entry<String, Map<String, Object>> e : fan.entrySet()) {
                List<Object> steps = (List<Object>) g(e.getValue(), "results.steps");
                if (steps == null || steps.isEmpty()) continue;
                List<Double> x = new ArrayList<>(), y = new ArrayList<>(), y2 = new ArrayList<>();
                for (Object s : steps) {
                    Map<String, Object> sm = (Map<String, Object>) s;
                    double p99 = d(g(sm, "latencyMs.p99"));
                    if (Double.isNaN(p99)) continue;
                    x.add(d(sm.get("rate"))); y.add(Math.max(p99, 0.01)); y2.add(Math.max(d(sm.get("deliveriesPerSec")), 1));
                }
                if (x.isEmpty()) continue;
                c.addSeries(e.getKey(), x, y);
                c2.addSeries(e.getKey(), x, y2);
            }
            if (!c.getSeriesMap().isEmpty()) {
                BitmapEncoder.saveBitmap(c, dir.resolve("fanout-p99.png").toString(), BitmapEncoder.BitmapFormat.PNG);
                BitmapEncoder.saveBitmap(c2, dir.resolve("fanout-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
            }
        }
        // a 2x2 panel of bar charts saved as separate small PNGs
        bar(dir, by, "idle", "server.rssKbAfter", 1 / 1024.0, "Idle hold: server RSS (MiB)", "idle-rss.png");
        bar(dir, by, "channels", "results.serverCpuUsPerDelivery", 1, "Many channels: server CPU per delivery (us)", "channels-cpu.png");
        bar(dir, by, "channels", "results.latencyMs.p99", 1, "Many channels: p99 latency (ms)", "channels-p99.png");
        bar(dir, by, "reconnect", "results.caughtUpSeconds", 1, "Reconnect storm: time to catch up gap-free (s)", "reconnect.png");
        bar(dir, by, "slow", "results.othersP99MsWith", 1, "Slow clients: others' p99 with 1% stalled (ms)", "slow-p99.png");
    }

    static void bar(Path dir, Map<String, Map<String, Map<String, Object>>> by, String scenario, String path, double mul,
                    String title, String file) throws Exception {
        Map<String, Map<String, Object>> t = by.get(scenario);
        if (t == null) return;
        List<String> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : t.entrySet()) {
            double v = d(g(e.getValue(), path));
            if (Double.isNaN(v) || v < 0) continue;
            xs.add(e.getKey());
            ys.add(v * mul);
        }
        if (xs.isEmpty()) return;
        CategoryChart c = new CategoryChartBuilder().width(600).height(400).title(title).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.addSeries(scenario, xs, ys);
        BitmapEncoder.saveBitmap(c, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
