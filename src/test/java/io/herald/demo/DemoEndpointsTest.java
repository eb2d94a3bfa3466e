package io.herald.demo;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo profile's endpoints and feeds against a real embedded server. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig("herald.demo.enabled=true")
class DemoEndpointsTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aJobPublishesProgressAndLogsThenDoneLast(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=jobs.job-1")) {
            var started = Http.post(base, "api/demo/jobs", "{\"jobId\":\"job-1\",\"steps\":10,\"stepMs\":10}");
            assertEquals(201, started.statusCode(), started.body());
            assertEquals("{\"jobId\":\"job-1\",\"channel\":\"jobs.job-1\"}", started.body());
            assertTrue(client.awaitCount("done", 1, WAIT), client::rawText);
            Thread.sleep(100);
            List<SseEvent> events = client.events().stream()
                    .filter(e -> !e.type().equals("connected") && !e.type().equals("heartbeat")).toList();
            assertEquals(10, client.events("progress").size());
            assertTrue(client.events("progress").get(9).data().contains("\"percent\":100"));
            assertEquals("done", events.get(events.size() - 1).type(), "done is the job's last event");
            assertTrue(client.events("done").get(0).data().contains("\"status\":\"succeeded\""));
        }
    }

    @Test
    void aFailingJobEndsFailedAndACancelledJobEndsCancelled(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=jobs.*&event=done")) {
            assertEquals(201, Http.post(base, "api/demo/jobs", "{\"jobId\":\"bad\",\"steps\":4,\"stepMs\":10,\"fail\":true}").statusCode());
            assertEquals(201, Http.post(base, "api/demo/jobs", "{\"jobId\":\"long\",\"steps\":200,\"stepMs\":1000}").statusCode());
            assertEquals(409, Http.post(base, "api/demo/jobs", "{\"jobId\":\"long\"}").statusCode());
            assertEquals(202, Http.delete(base, "api/demo/jobs/long").statusCode());
            assertEquals(404, Http.delete(base, "api/demo/jobs/long").statusCode());
            assertTrue(client.awaitCount("done", 2, WAIT), client::rawText);
            String done = client.rawText();
            assertTrue(done.contains("\"jobId\":\"bad\",\"status\":\"failed\""), done);
            assertTrue(done.contains("\"jobId\":\"long\",\"status\":\"cancelled\""), done);
        }
    }

    @Test
    void badJobAndAiRequestsAre400(URI base) throws Exception {
        for (String body : List.of("{\"jobId\":\"no spaces\"}", "{\"steps\":0}", "{\"steps\":201}", "{\"stepMs\":5}",
                "[1]", "{\"jobId\":\"" + "x".repeat(65) + "\"}")) {
            var r = Http.post(base, "api/demo/jobs", body);
            assertEquals(400, r.statusCode(), body);
            assertTrue(r.body().startsWith("{\"error\":"), r.body());
        }
        assertEquals(400, Http.post(base, "api/demo/ai", "{\"id\":\"a1\"}").statusCode(), "no prompt");
        assertEquals(400, Http.post(base, "api/demo/ai", "{\"id\":\"a1\",\"prompt\":\"" + "p".repeat(4001) + "\"}")
                .statusCode(), "prompt too long");
    }

    @Test
    void anAnswerStreamsTokensThatRebuildTheTextThenDone(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=ai.q1")) {
            assertEquals(201, Http.post(base, "api/demo/ai", "{\"id\":\"q1\",\"prompt\":\"Why SSE?\"}").statusCode());
            assertTrue(client.awaitCount("done", 1, Duration.ofSeconds(60)), client::rawText);
            StringBuilder text = new StringBuilder();
            List<SseEvent> tokens = client.events("token");
            for (int i = 0; i < tokens.size(); i++) {
                try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(tokens.get(i).data()))) {
                    var token = reader.readObject();
                    assertEquals(i, token.getInt("index"));
                    text.append(token.getString("text"));
                }
            }
            assertEquals(TokenGenerator.answer("Why SSE?"), text.toString());
            assertEquals("{\"reason\":\"stop\",\"tokens\":" + tokens.size() + "}", client.events("done").get(0).data());
        }
    }

    @Test
    void feedsPublishWhileSomeoneWatches(URI base) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=stocks.*&channel=monitor&event=price&event=metrics")) {
            assertTrue(client.awaitCount("price", 3, WAIT), client::rawText);
            assertTrue(client.awaitCount("metrics", 1, WAIT), client::rawText);
            assertTrue(client.events("price").get(0).data().matches("\\{\"symbol\":\"[A-Z]+\",\"price\":[0-9.]+,.*"));
            assertTrue(client.events("metrics").get(0).data().contains("\"heapUsedBytes\":"));
        }
    }
}
