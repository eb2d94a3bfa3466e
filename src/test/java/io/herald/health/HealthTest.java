package io.herald.health;

import io.herald.embedded.HeraldServer;
import io.herald.testing.Await;
import io.herald.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness and readiness on the embedded runtime, against a real Redis broker: ready goes down while Redis is
 * stopped (and broker errors are counted) while live stays up, and ready comes back with Redis.
 */
class HealthTest {

    private static RedisServer redis;
    private static int redisPort;
    private static HeraldServer server;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        startRedis();
        Map<String, String> config = new java.util.HashMap<>(io.herald.testing.EmbeddedHerald.TEST_DEFAULTS);
        config.putAll(Map.of("herald.http.port", "0", "herald.http.host", "127.0.0.1",
                "herald.broker", "redis", "herald.redis.uri", "redis://127.0.0.1:" + redisPort,
                "herald.redis.timeout-ms", "500", "herald.redis.key-prefix", "health-test"));
        server = HeraldServer.start(config);
    }

    private static void startRedis() throws Exception {
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    @Test
    void readinessFollowsTheBrokerAndLivenessDoesNot() throws Exception {
        URI base = server.baseUri();
        assertTrue(Await.until(() -> Http.get(base, "health/ready").statusCode() == 200, Duration.ofSeconds(10)),
                "ready with Redis up: " + Http.get(base, "health/ready").body());
        HttpResponse<String> ready = Http.get(base, "health/ready");
        assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"checks\":[{\"name\":\"herald-ready\",\"status\":\"UP\""),
                ready.body());
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        double errorsBefore = brokerErrors(base);

        redis.stop();
        assertTrue(Await.until(() -> Http.get(base, "health/ready").statusCode() == 503, Duration.ofSeconds(10)),
                "readiness goes down while Redis is unreachable");
        HttpResponse<String> down = Http.get(base, "health/ready");
        assertTrue(down.body().contains("\"status\":\"DOWN\"") && down.body().contains("\"broker\":\"unreachable\""),
                down.body());
        assertEquals(200, Http.get(base, "health/live").statusCode(), "liveness stays up: a restart would not help");
        assertEquals(503, Http.get(base, "health").statusCode(), "/health is both, so it is down too");
        assertTrue(brokerErrors(base) > errorsBefore, "broker errors are counted");

        startRedis();
        assertTrue(Await.until(() -> Http.get(base, "health/ready").statusCode() == 200, Duration.ofSeconds(15)),
                "readiness comes back with Redis: " + Http.get(base, "health/ready").body());
    }

    private static double brokerErrors(URI base) throws Exception {
        Matcher m = Pattern.compile("(?m)^herald_broker_errors_total (\\S+)$").matcher(Http.get(base, "metrics").body());
        assertTrue(m.find());
        return Double.parseDouble(m.group(1));
    }
}
