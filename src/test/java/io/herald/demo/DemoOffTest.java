package io.herald.demo;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outside the demo profile (the default, and the WAR's) the demo endpoints do not exist and no feed runs. */
@ExtendWith(EmbeddedHerald.class)
class DemoOffTest {

    @Test
    void demoEndpointsAre404AndNoFeedPublishes(URI base) throws Exception {
        assertEquals(404, Http.post(base, "api/demo/jobs", "{\"jobId\":\"j\"}").statusCode());
        assertEquals(404, Http.post(base, "api/demo/ai", "{\"id\":\"a\",\"prompt\":\"p\"}").statusCode());
        assertEquals(404, Http.delete(base, "api/demo/jobs/j").statusCode());
        assertEquals(404, Http.delete(base, "api/demo/ai/a").statusCode());
        try (SseClient client = SseClient.open(base, "api/events?channel=stocks.AAPL&channel=monitor")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            Thread.sleep(2000); // both feeds would have published several times by now
            // heartbeats are spread over the interval, so one may come within these two seconds
            assertEquals(1, client.events().stream().filter(e -> !"heartbeat".equals(e.type())).count(),
                    client.rawText());
        }
    }
}
