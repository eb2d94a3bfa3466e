package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.delivery.ChannelRegistry;
import io.herald.publish.HeraldMessage;
import io.herald.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The monitor page's host metrics: CPU, memory, load and heap on channel {@code monitor} as {@code metrics}, and
 * an {@code alert} when CPU or memory crosses 75% (warning) or 90% (critical), again when it falls back below
 * 70% (info). Only published while someone watches.
 */
@ApplicationScoped
public class HostMetricsFeed {

    static final String CHANNEL = "monitor";

    @Inject
    Publisher publisher;
    @Inject
    ChannelRegistry registry;

    private final Threshold cpu = new Threshold("cpu", "CPU");
    private final Threshold memory = new Threshold("memory", "memory");

    /** One sample. Called by one thread. */
    void tick() {
        if (registry.subscribersOf(CHANNEL).isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        JsonObjectBuilder data = Jsons.JSON.createObjectBuilder();
        double cpuPercent = -1;
        double memPercent = -1;
        try {
            if (os instanceof com.sun.management.OperatingSystemMXBean hs) {
                cpuPercent = Math.max(0, hs.getCpuLoad() * 100);
                long total = hs.getTotalMemorySize();
                long used = total - hs.getFreeMemorySize();
                memPercent = 100.0 * used / total;
                data.add("cpu", round(cpuPercent))
                        .add("memory", Jsons.JSON.createObjectBuilder().add("usedBytes", used).add("totalBytes", total))
                        .add("memoryPercent", round(memPercent));
            }
        } catch (LinkageError notHotSpot) {
            // a JVM without com.sun.management: load and heap only
        }
        data.add("load1", round(Math.max(0, os.getSystemLoadAverage())))
                .add("heapUsedBytes", heap.getUsed()).add("heapMaxBytes", heap.getMax()).add("time", now);
        publisher.publish(HeraldMessage.of(CHANNEL, "metrics", data.build()));
        if (cpuPercent >= 0) {
            cpu.check(cpuPercent, now);
            memory.check(memPercent, now);
        }
    }

    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
    }

    /** Alert levels with hysteresis: up at 75/90, back to normal only below 70, so a value near a line does not flap. */
    private final class Threshold {
        private final String metric;
        private final String label;
        private String level = "normal";

        Threshold(String metric, String label) {
            this.metric = metric;
            this.label = label;
        }

        void check(double value, long now) {
            String next = value > 90 ? "critical" : value > 75 ? ("critical".equals(level) && value > 85 ? level
                    : "warning") : value < 70 ? "normal" : level;
            if (next.equals(level)) {
                return;
            }
            String message = switch (next) {
                case "critical" -> label + " above 90%";
                case "warning" -> label + " above 75%";
                default -> label + " back to normal";
            };
            level = next;
            publisher.publish(HeraldMessage.of(CHANNEL, "alert", Jsons.JSON.createObjectBuilder()
                    .add("level", "normal".equals(next) ? "info" : next).add("message", message)
                    .add("metric", metric).add("value", round(value)).add("time", now).build()));
        }
    }
}
