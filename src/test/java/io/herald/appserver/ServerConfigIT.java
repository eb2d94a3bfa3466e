package io.herald.appserver;

import io.herald.testing.Http;
import io.herald.testing.ServerTarget;
import io.herald.testing.SseClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * server-configs/ applied to each server and read back, then a stream held silent past that server's default
 * timeout to show it stays open.
 * <ul>
 * <li>Payara Micro: {@code server-configs/payara/pre-boot-commands.asadmin} and {@code post-boot-commands.asadmin}
 * run at every Micro boot ({@code --prebootcommandfile}, {@code --postbootcommandfile}, arquillian.xml), and {@code asadmin get} commands run after deploy write the
 * values to the log this test reads. Default timeout: 30 s (keep-alive {@code timeout-seconds}, and the HTTP/2
 * connection timeout of payara#7394).</li>
 * <li>WildFly: this test runs {@code jboss-cli --file=server-configs/wildfly/herald.cli} (it reloads the server),
 * then {@code :read-attribute}. Default timeouts: the listener's {@code read-timeout} and {@code write-timeout},
 * 90 s on WildFly 38 (Undertow 2.3.18+ exempts event streams), and {@code no-request-timeout}, 60 s.</li>
 * <li>Embedded: no server script; the key comes from the environment ({@code HERALD_MAX_CONNECTIONS}, set by the
 * failsafe execution). Default timeout: Grizzly's keep-alive idle timeout, 30 s.</li>
 * </ul>
 */
class ServerConfigIT {

    @RegisterExtension
    static final Extension SERVER = ServerTarget.extension();

    @Deployment(testable = false)
    static WebArchive deployment() {
        // at most one heartbeat during the test (each stream gets one per 10 minutes): the stream can be really silent
        // the reload of the WildFly script undeploys it: a short drain keeps the reload short
        return Deployments.herald("server-config", "herald.heartbeat.interval-ms=600000", "herald.drain.delay-ms=200");
    }

    @ArquillianResource
    URL url;
    URI base;

    @BeforeEach
    void base() {
        base = ServerTarget.base(url);
    }

    @Test
    void settingsAreAppliedAndReadBackThenAStreamOutlivesTheDefaultTimeout() throws Exception {
        long idleMs = switch (ServerTarget.current()) {
            case EMBEDDED, PAYARA -> 35_000;
            case WILDFLY -> 95_000;
        };
        switch (ServerTarget.current()) {
            case PAYARA -> payaraReadBack();
            case WILDFLY -> wildflyApplyAndReadBack();
            case EMBEDDED -> assertEquals("10000", System.getenv("HERALD_MAX_CONNECTIONS"));
        }
        assertEquals("10000", Http.get(base, "test-hooks/config/herald.max-connections").body(),
                "the config key reached the application");

        try (SseClient client = SseClient.open(base, "api/events?channel=cfg.idle")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(10)), client::rawText);
            int bytes = client.rawText().length();
            Thread.sleep(idleMs);
            String written = client.rawText().substring(bytes);
            if (!written.isEmpty()) {
                // heartbeats are spread over the interval in 1 s slices, so this stream's one may fall in the
                // window; the next is 10 minutes later: wait for its probe, then measure a whole idle window again
                Thread.sleep(1000);
                written = client.rawText().substring(bytes);
                // (the embedded runtime's detached streams need no probe: their transport sees a close itself)
                assertTrue(written.matches("event: heartbeat\ndata: \\{\"time\":\\d+}\n\n(:\n)?"),
                        "only a heartbeat and its probe: " + written);
                bytes = client.rawText().length();
                Thread.sleep(idleMs);
            }
            assertEquals(bytes, client.rawText().length(), "nothing was written: the stream really was idle");
            assertFalse(client.ended(), "the server closed a stream idle for " + idleMs + " ms");
            String id = Http.publish(base, "cfg.idle", "late", "\"still here\"");
            assertTrue(client.awaitRaw("id: " + id + "\nevent: late\ndata: still here\n\n", Duration.ofSeconds(10)),
                    client::rawText);
        }
    }

    /**
     * Payara's domain.xml sets {@code max-connections="250"} on the HTTP protocol, and the scripts size the request
     * thread pools well below the number of streams. Neither caps streams: max-connections is the number of
     * keep-alive requests one connection may carry, and a stream holds no request thread (async, non-blocking).
     */
    @Test
    void moreStreamsThanMaxConnectionsAndRequestThreads() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                clients.add(SseClient.open(base, "api/events?channel=cfg.many"));
            }
            for (SseClient c : clients) {
                assertTrue(c.awaitCount("connected", 1, Duration.ofSeconds(20)), c::rawText);
            }
            String id = Http.publish(base, "cfg.many", "all", "\"one\"");
            for (SseClient c : clients) {
                assertTrue(c.awaitRaw("id: " + id + "\nevent: all\ndata: one\n\n", Duration.ofSeconds(20)), c::rawText);
            }
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    private static void payaraReadBack() throws Exception {
        String log = payaraLog();
        String http = "configs.config.server-config.network-config.protocols.protocol.http-listener.http.";
        for (String expected : List.of(http + "http2-enabled=true", http + "http2-max-concurrent-streams=200",
                http + "request-timeout-seconds=-1", http + "timeout-seconds=30",
                "configs.config.server-config.thread-pools.thread-pool.http-thread-pool.max-thread-pool-size=64",
                "resources.managed-scheduled-executor-service.concurrent/__defaultManagedScheduledExecutorService.core-pool-size=2",
                "Boot Command get-config-property returned with result SUCCESS : PlainTextActionReporterSUCCESS10000")) {
            assertTrue(log.contains(expected), "Payara's read-back has no " + expected);
        }
    }

    /** The log of the Micro JVM serving this deployment (the newest). */
    private static String payaraLog() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            Path newest = files.filter(f -> f.getFileName().toString().startsWith("payara-micro.log")
                            && !f.toString().endsWith(".lck"))
                    .max(Comparator.comparingLong(f -> f.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no target/payara-micro.log*"));
            return Files.readString(newest, StandardCharsets.UTF_8);
        }
    }

    private void wildflyApplyAndReadBack() throws Exception {
        String applied = jbossCli("server-configs/wildfly/herald.cli");
        assertFalse(applied.contains("Failed") || applied.contains("failed"), applied);
        // the reload restarts the deployment
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Http.get(base, "api/stats").statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // reloading
            }
            Thread.sleep(200);
        }
        String read = jbossCli("src/test/resources/wildfly-read-back.cli").replaceAll("\\s+", " ");
        for (String expected : List.of("\"result\" => 120000", "\"result\" => 90000", "\"result\" => true",
                "\"result\" => 11000", "\"result\" => 2", "\"result\" => 16", "\"herald.max-connections\" => \"10000\"")) {
            assertTrue(read.contains(expected), "WildFly's read-back has no " + expected + ": " + read);
        }
    }

    private static String jbossCli(String file) throws Exception {
        String home = System.getProperty("wildfly.home");
        // --timeout: the reload waits for Herald's drain (herald.drain.delay-ms) before the server comes back
        Process p = new ProcessBuilder(home + "/bin/jboss-cli.sh", "--connect", "--timeout=60000",
                "--controller=127.0.0.1:" + ServerTarget.WILDFLY_MANAGEMENT_PORT, "--file=" + new File(file).getAbsolutePath())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jboss-cli did not finish");
        assertEquals(0, p.exitValue(), "jboss-cli " + file + ": " + out);
        return out;
    }
}
