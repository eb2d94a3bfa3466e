package io.herald.embedded;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an embedded start spends its time, so the line announcing readiness also says which phase to look at
 * (docs/performance.md, "start"): milliseconds since the JVM started, at the end of each named phase.
 */
final class StartupTimeline {

    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final Map<String, Long> marks = new LinkedHashMap<>();

    StartupTimeline() {
        mark("jvm");
    }

    /** Records that the phase {@code name} ends now. */
    void mark(String name) {
        marks.put(name, System.currentTimeMillis() - jvmStartMillis);
    }

    /** Milliseconds from the JVM's start to the last mark. */
    long total() {
        long last = 0;
        for (long at : marks.values()) {
            last = at;
        }
        return last;
    }

    /** Each phase's own duration, e.g. {@code jvm 260 ms, config 160 ms, cdi 2070 ms, jax-rs 560 ms, listen 60 ms}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        long previous = 0;
        for (Map.Entry<String, Long> mark : marks.entrySet()) {
            out.append(out.length() == 0 ? "" : ", ").append(mark.getKey()).append(' ')
                    .append(mark.getValue() - previous).append(" ms");
            previous = mark.getValue();
        }
        return out.toString();
    }
}
