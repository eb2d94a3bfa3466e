package io.herald.appserver;

import io.herald.testing.Await;
import io.herald.testing.Http;
import io.herald.testing.ServerTarget;
import io.herald.testing.SseClient;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment's life with open streams: heartbeats, a vanished client removed within one heartbeat, and every
 * stream closed cleanly (a short {@code retry:}, then the end of the response) when the application is undeployed.
 * <p>
 * Server differences: on Payara Micro, Arquillian's undeploy stops the Micro JVM (one JVM per deployment), so
 * Herald's {@code @PreDestroy} runs in JVM shutdown; on WildFly it runs in a real undeploy; embedded, the server
 * closes. Payara notices a vanished client only when a write fails (no servlet listener fires), WildFly through
 * {@code AsyncListener.onError}: Herald's heartbeat probe makes both fail within one interval.
 */
class LifecycleIT {

    @RegisterExtension
    static final Extension SERVER = ServerTarget.extension();

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment(name = "lifecycle", managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.herald("lifecycle", "herald.heartbeat.interval-ms=1000", "herald.retry-ms=3000",
                "herald.drain.delay-ms=500");
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void heartbeatsThenEveryStreamClosesCleanlyOnUndeploy() throws Exception {
        deployer.deploy("lifecycle");
        boolean undeployed = false;
        try {
            URI base = ServerTarget.base(deployer, "lifecycle");
            try (SseClient a = SseClient.open(base, "api/events?channel=lc.a");
                 SseClient b = SseClient.open(base, "api/events?channel=lc.b");
                 SseClient gone = SseClient.open(base, "api/events?channel=lc.a")) {
                for (SseClient c : List.of(a, b, gone)) {
                    assertTrue(c.awaitCount("connected", 1, WAIT), c::rawText);
                }

                // heartbeats: at a 1 s interval, 5 ± 1 in 5 s, and none moves Last-Event-ID
                int before = a.events("heartbeat").size();
                Thread.sleep(5000);
                int beats = a.events("heartbeat").size() - before;
                assertTrue(beats >= 4 && beats <= 6, beats + " heartbeats in 5 s");
                assertFalse(a.rawText().contains("id:"), a::rawText);
                assertTrue(a.events("heartbeat").get(0).data().matches("\\{\"time\":\\d+}"));

                // a client that goes away is removed within one heartbeat (plus its probe)
                String goneId = gone.clientId();
                gone.close();
                assertTrue(Await.until(() -> !Http.get(base, "api/clients").body().contains(goneId),
                        Duration.ofMillis(2500)), "the vanished client is still listed");

                int[] sent = {a.rawText().length(), b.rawText().length()};
                deployer.undeploy("lifecycle");
                undeployed = true;
                List<SseClient> open = List.of(a, b);
                for (int i = 0; i < 2; i++) {
                    SseClient c = open.get(i);
                    assertTrue(c.awaitEnd(Duration.ofSeconds(20)), "stream still open after undeploy: " + c.rawText());
                    // the drain (herald.drain.retry-ms, 500) or the registry's shutdown (1000) lowers retry: first
                    String after = c.rawText().substring(sent[i]);
                    assertTrue(after.matches("(?s).*retry: (500|1000)\n.*"),
                            "a low retry: tells the client to reconnect soon: " + tail(after));
                }
                assertEquals(0, a.events("unavailable").size());
            }
        } finally {
            if (!undeployed) {
                deployer.undeploy("lifecycle");
            }
        }
    }

    private static String tail(String raw) {
        return raw.substring(Math.max(0, raw.length() - 120));
    }
}
