package io.herald.testing;

import java.net.URI;
import java.time.Duration;

/**
 * Finds a Payara Micro deployment made through {@code Deployer}: Micro starts on {@link ServerTarget#PAYARA_HTTP_PORT}
 * and auto-binds the next free port when the previous test's Micro JVM has not let go of it yet.
 */
final class PayaraPorts {

    private PayaraPorts() {
    }

    static URI find(String deploymentName) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (int port = ServerTarget.PAYARA_HTTP_PORT; port < ServerTarget.PAYARA_HTTP_PORT + 10; port++) {
                URI base = URI.create("http://127.0.0.1:" + port + "/" + deploymentName + "/");
                try {
                    if (Http.get(base, "api/stats").statusCode() == 200) {
                        return base;
                    }
                } catch (java.io.IOException notThere) {
                    // nothing listens on this port
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No Payara Micro serves /" + deploymentName + " near port " + ServerTarget.PAYARA_HTTP_PORT);
    }
}
