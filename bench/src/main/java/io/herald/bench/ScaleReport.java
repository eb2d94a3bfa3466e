package io.herald.bench;

import org.knowm.xchart.BitmapEncoder;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The fan-out scale table of {@code bench/fanout-scale.sh}: for one publish rate, each server's p99 and CPU per
 * delivery against the number of subscribers on one channel, and the most subscribers each kept within a p99 limit
 * (the 10 events/s within 25 ms). Reads every fan-out result under a directory; writes
 * {@code fanout-scale.txt} and {@code fanout-scale-p99.png} there.
 * <p>
 * Usage: {@code ScaleReport <dir> <rate> <p99-limit-ms>}.
 */
public final class ScaleReport {

    private ScaleReport() {
    }

    /** One fan-out run at one subscriber count: its step at the rate asked. */
    record Point(double subscribers, double p50, double p99, double cpuUs, boolean keptUp) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        double rate = Double.parseDouble(args[1]);
        double limit = Double.parseDouble(args[2]);
        Map<String, TreeMap<Double, Point>> byTarget = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("fanout-.*\\.json")).sorted().toList();
        }
        for (Path p : files) {
            if (!(Json.parse(Files.readString(p)) instanceof Map<?, ?> parsed)) {
                continue;
            }
            @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) parsed;
            Map<String, Object> step = Report.stepAt(r, rate);
            double subs = Report.d(Report.g(r, "connect.established"));
            if (step == null || !(subs > 0)) {
                System.err.println("skip " + p + ": no step at " + Bench.num(rate) + "/s");
                continue;
            }
            String label = r.get("label") instanceof String l ? l : String.valueOf(r.get("target"));
            byTarget.computeIfAbsent(label, k -> new TreeMap<>()).put(subs, new Point(subs,
                    Report.d(Report.g(step, "latencyMs.p50")), Report.d(Report.g(step, "latencyMs.p99")),
                    Report.d(step.get("serverCpuUsPerDelivery")), Report.keptUp(step)));
        }
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Fan-out at %s events/s on one channel: p50 / p99 ms, server CPU us per "
                + "delivery%n%n", Bench.num(rate)));
        t.append(String.format(Locale.ROOT, "%-12s", "subscribers"));
        for (String target : byTarget.keySet()) {
            t.append(String.format(Locale.ROOT, " | %-28s", target));
        }
        t.append('\n');
        TreeSet<Double> counts = new TreeSet<>();
        byTarget.values().forEach(m -> counts.addAll(m.keySet()));
        for (double n : counts) {
            t.append(String.format(Locale.ROOT, "%-12s", Bench.num(n)));
            for (TreeMap<Double, Point> m : byTarget.values()) {
                Point pt = m.get(n);
                t.append(String.format(Locale.ROOT, " | %-28s", pt == null ? "-"
                        : String.format(Locale.ROOT, "%.1f / %.1f, %.2f us%s", pt.p50(), pt.p99(), pt.cpuUs(),
                        pt.keptUp() ? "" : " (fell behind)")));
            }
            t.append('\n');
        }
        t.append(String.format(Locale.ROOT, "%nMost subscribers with p99 within %s ms (and every smaller count within "
                + "it):%n", Bench.num(limit)));
        for (Map.Entry<String, TreeMap<Double, Point>> e : byTarget.entrySet()) {
            Double best = null;
            for (Point pt : e.getValue().values()) {
                if (pt.p99() <= limit && pt.keptUp()) {
                    best = pt.subscribers();
                } else {
                    break;
                }
            }
            t.append(String.format(Locale.ROOT, "  %-10s %s%n", e.getKey(), best == null ? "none" : Bench.num(best)));
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.print(t);
        Files.writeString(dir.resolve("fanout-scale.txt"), t.toString());
        plot(dir, byTarget, rate, limit);
    }

    private static void plot(Path dir, Map<String, TreeMap<Double, Point>> byTarget, double rate, double limit)
            throws Exception {
        XYChart c = new XYChartBuilder().width(800).height(500)
                .title("Fan-out at " + Bench.num(rate) + " events/s: p99 vs subscribers on one channel")
                .xAxisTitle("subscribers").yAxisTitle("p99 ms").build();
        c.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        double maxSubs = 0;
        for (Map.Entry<String, TreeMap<Double, Point>> e : byTarget.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Point pt : e.getValue().values()) {
                x.add(pt.subscribers());
                y.add(Math.max(pt.p99(), 0.01));
                maxSubs = Math.max(maxSubs, pt.subscribers());
            }
            c.addSeries(e.getKey(), x, y);
        }
        if (maxSubs > 0) {
            c.addSeries("p99 limit " + Bench.num(limit) + " ms", List.of(0.0, maxSubs), List.of(limit, limit));
            BitmapEncoder.saveBitmap(c, dir.resolve("fanout-scale-p99.png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
