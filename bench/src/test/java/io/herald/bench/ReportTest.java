package io.herald.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Map<String, Object> step(double rate, double p99, double deliveries) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rate", rate);
        s.put("latencyMs", Map.of("p99", p99));
        s.put("deliveriesPerSec", deliveries);
        s.put("expectedDeliveriesPerSec", rate * 10_000);
        return s;
    }

    private static Map<String, Object> run(List<Map<String, Object>> steps) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("steps", steps);
        results.put("p99LimitMs", 100.0);
        return Map.of("results", results);
    }

    @Test
    void theBestStepIsTheHighestRateWithinTheLimitWhateverTheStepsBelowIt() {
        Map<String, Object> r = run(List.of(step(1, 115, 10_000), step(10, 83, 100_000), step(20, 91, 200_000),
                step(50, 111, 500_000)));
        assertEquals(20.0, Report.bestStep(r).get("rate"));
    }

    @Test
    void aStepThatDidNotKeepUpIsNotTheBestEvenWithinTheLimit() {
        Map<String, Object> r = run(List.of(step(10, 83, 100_000), step(20, 60, 150_000)));
        assertEquals(10.0, Report.bestStep(r).get("rate"), "150,000 of 200,000 is under 80%");
    }

    @Test
    void noStepWithinTheLimitHasNoBest() {
        assertNull(Report.bestStep(run(List.of(step(1, 314, 10_000), step(2, 276, 20_000)))));
    }
}
