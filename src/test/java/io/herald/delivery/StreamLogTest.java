package io.herald.delivery;

import io.herald.testing.Await;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One log line per stream opened and closed, with who, what and why, and never a token or event data. */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.heartbeat.interval-ms=1000"}) // a client that went away is noticed within one heartbeat
class StreamLogTest {

    private final Logger logger = Logger.getLogger("io.herald.streams");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void capture() {
        previous = logger.getLevel();
        logger.setLevel(Level.INFO); // the tests' logging.properties keeps everything else at WARNING
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        logger.setLevel(previous);
    }

    @Test
    void oneLineOpenedOneLineClosedWithoutSecrets(URI base) throws Exception {
        String clientId;
        String token = TestTokens.forSubject("log-user").subscribe("log.**").sign();
        try (SseClient client = SseClient.open(base, "api/events?channel=log.a&channel=log.*&access_token=" + token,
                Map.of("Last-Event-ID", "SECRET-ID"))) {
            clientId = client.clientId();
            Http.publish(base, "log.a", "note", "{\"text\":\"SECRET-DATA\"}");
            assertTrue(client.awaitCount("note", 1, Duration.ofSeconds(5)));
        }
        assertTrue(Await.until(() -> lines.stream().anyMatch(l -> l.contains("stream closed client=" + clientId)),
                Duration.ofSeconds(5)), "closed line: " + lines);
        List<String> mine = lines.stream().filter(l -> l.contains("client=" + clientId)).toList();
        assertEquals(2, mine.size(), mine.toString());
        assertEquals("INFO stream opened client=" + clientId + " subject=log-user channels=log.a,log.* resume=true",
                mine.get(0));
        assertTrue(mine.get(1).matches("INFO stream closed client=" + clientId
                + " subject=log-user channels=log\\.a,log\\.\\* durationMs=\\d+ events=\\d+ reason=(client_gone|write_failed)"), mine.get(1));
        for (String line : lines) {
            assertFalse(line.contains("SECRET"), "a secret in the log: " + line);
            assertFalse(line.contains(token) || line.contains(token.substring(token.lastIndexOf('.') + 1)),
                    "the token in the log: " + line);
        }
    }
}
