package io.herald.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a reverse proxy in front of Herald, started from a generated configuration on a free port and
 * stopped with the test. Missing nginx fails the test with what to install.
 */
public final class Nginx implements AutoCloseable {

    private static final String BINARY = System.getProperty("herald.test.nginx", "/usr/sbin/nginx");

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * A proxy nobody configured for event streams: {@code proxy_buffering on}, Herald's
     * {@code X-Accel-Buffering: no} ignored, and gzip for every text type. Measured with nginx 1.22, buffering
     * alone still passes each event on as it comes (it only shields the upstream from slow clients); the gzip
     * filter is what holds the stream back, headers included, as many real front ends do.
     */
    public static Nginx buffering(URI upstream) throws Exception {
        return start(upstream, """
                proxy_buffering on;
                proxy_ignore_headers X-Accel-Buffering;
                proxy_buffers 8 16k;
                gzip on;
                gzip_min_length 0;
                gzip_types text/event-stream application/json;
                """);
    }

    private static Nginx start(URI upstream, String proxySettings) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: this test needs Debian's nginx (apt-get install "
                    + "nginx-light, or nginx), or set -Dherald.test.nginx");
        }
        Path dir = Files.createTempDirectory("herald-nginx");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    location / {
                      proxy_pass http://127.0.0.1:%3$d;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_read_timeout 300s;
                      proxy_max_temp_file_size 0;
                      %4$s
                    }
                  }
                }
                """.formatted(dir, port, upstream.getPort(), proxySettings.replace("\n", "\n      "));
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(BINARY, "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx nginx = new Nginx(p, dir, port);
        boolean up = Await.until(() -> {
            if (!p.isAlive()) {
                return true;
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10));
        if (!up || !p.isAlive()) {
            String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
            nginx.close();
            throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("stdout.log")) + log);
        }
        return nginx;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
