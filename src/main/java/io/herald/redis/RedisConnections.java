package io.herald.redis;

import io.herald.history.BrokerUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's two Redis connections: a shared one for commands and a dedicated one for the blocking stream read.
 * Commands fail fast while Redis is away (never queued for later), so a publish answers at once instead of hanging;
 * Lettuce reconnects by itself within about a second of Redis coming back.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisConnections.class.getName());

    private final ClientResources resources;
    private final RedisClient client;
    private final long retryAfterSeconds;
    private final long timeoutMs;
    private final Runnable onError;
    private StatefulRedisConnection<String, String> commands;
    private StatefulRedisConnection<String, String> reader;
    private long nextAttemptNanos;

    public RedisConnections(String uri, long timeoutMs, long retryAfterSeconds) {
        this(uri, timeoutMs, retryAfterSeconds, () -> { });
    }

    /** {@code onError} hears of every failed call, for the broker-error metric. */
    public RedisConnections(String uri, long timeoutMs, long retryAfterSeconds, Runnable onError) {
        this.onError = onError;
        this.retryAfterSeconds = retryAfterSeconds;
        this.timeoutMs = timeoutMs;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofMillis(timeoutMs));
        this.client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(timeoutMs)))
                .build());
    }

    /** The shared connection for everything but the blocking read. */
    public synchronized StatefulRedisConnection<String, String> commands() {
        if (commands == null) {
            commands = connect("commands");
        }
        return commands;
    }

    /** The reader's own connection: {@code XREAD BLOCK} would hold up every other command on a shared one. */
    public synchronized StatefulRedisConnection<String, String> reader() {
        if (reader == null) {
            reader = connect("reader");
        }
        return reader;
    }

    /** The first connect is not retried by Lettuce: try again at most every 200 ms, failing fast in between. */
    private StatefulRedisConnection<String, String> connect(String name) {
        long now = System.nanoTime();
        if (now < nextAttemptNanos) {
            throw unavailable("Redis is not reachable", null);
        }
        try {
            return client.connect();
        } catch (RuntimeException e) {
            nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(200);
            LOG.log(Level.FINE, "Redis " + name + " connection failed", e);
            throw unavailable("Redis is not reachable: " + e.getMessage(), e);
        }
    }

    /** Waits for a command's answer, at most the command timeout; any failure means Redis is unavailable. */
    public <T> T await(CompletionStage<T> future) {
        try {
            return future.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable("Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("Redis did not answer within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted", e);
        }
    }

    /** Counts a failure that did not go through {@link #unavailable}. */
    public void failed() {
        onError.run();
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public BrokerUnavailableException unavailable(String message, Throwable cause) {
        onError.run();
        return new BrokerUnavailableException(message, cause, retryAfterSeconds);
    }

    @Override
    public synchronized void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            if (commands != null) {
                commands.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Closing Redis connections", e);
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
