package io.herald.testing;

import redis.embedded.RedisServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis (embedded-redis, AOF with {@code appendfsync always}) and Herald nodes as separate JVMs started from
 * the built artifacts ({@code target/classes} plus {@code target/embedded-lib}), for the cluster tests.
 */
public final class HeraldCluster implements AutoCloseable {

    private final Path dir;
    private final int redisPort;
    private final List<Node> nodes = new ArrayList<>();
    private RedisServer redis;

    public HeraldCluster() throws IOException {
        this.dir = Files.createTempDirectory("herald-cluster");
        this.redisPort = freePort();
        startRedis();
    }

    public String redisUri() {
        return "redis://127.0.0.1:" + redisPort;
    }

    /** Starts Redis on its port, reloading the append-only file when there is one. */
    public void startRedis() throws IOException {
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("appendonly yes")
                .setting("appendfsync always")
                .setting("save \"\"")
                .setting("dir " + dir)
                .build();
        redis.start();
    }

    /** Stops Redis with SIGTERM, as an operator or orchestrator would. */
    public void stopRedis() throws IOException {
        redis.stop();
    }

    /** Starts a node with the cluster's Redis and {@code config} as system properties; waits until it listens. */
    public Node startNode(Map<String, String> config) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add("target/classes" + java.io.File.pathSeparator + "target/embedded-lib/*");
        command.add("-Dherald.http.host=127.0.0.1");
        command.add("-Dherald.http.port=" + port);
        command.add("-Dherald.broker=redis");
        command.add("-Dherald.redis.uri=" + redisUri());
        EmbeddedHerald.TEST_DEFAULTS.forEach((k, v) -> command.add("-D" + k + "=" + v));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("io.herald.embedded.HeraldServer");
        Path log = dir.resolve("node-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith("Herald listening on")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // the node ended
            }
            ready.complete(false);
        }, "node-" + port + "-log");
        pump.setDaemon(true);
        pump.start();
        Node node = new Node(URI.create("http://127.0.0.1:" + port + "/"), process, log);
        nodes.add(node);
        if (!ready.get(60, TimeUnit.SECONDS)) {
            throw new AssertionError("node on port " + port + " did not start: " + Files.readString(log));
        }
        return node;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            n.process.destroyForcibly();
        }
        for (Node n : nodes) {
            n.process.waitFor(10, TimeUnit.SECONDS);
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    /** One Herald JVM. */
    public record Node(URI base, Process process, Path log) {

        /** Kills the JVM with SIGKILL: no shutdown hook runs, no stream is closed cleanly. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
