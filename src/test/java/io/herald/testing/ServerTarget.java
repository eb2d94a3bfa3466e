package io.herald.testing;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.Extension;

import java.net.URI;
import java.net.URL;
import java.util.Locale;

/**
 * Where the app-server suite runs: {@code -Dherald.target=embedded|payara|wildfly} (set by each failsafe execution).
 * A test class registers {@link #extension()} and gets its base URL through {@code @ArquillianResource URL} on
 * every target: Arquillian supplies it on the servers, {@link EmbeddedHerald} on the embedded runtime.
 */
public enum ServerTarget {
    EMBEDDED, PAYARA, WILDFLY;

    /** WildFly's ports: free ports the build found (build-helper), passed to the server by arquillian.xml. */
    public static final int WILDFLY_HTTP_PORT = Integer.getInteger("herald.wildfly.http.port", 18080);
    public static final int WILDFLY_MANAGEMENT_PORT = Integer.getInteger("herald.wildfly.management.port", 19990);
    /** Payara Micro's first port (arquillian.xml: --port; auto-bind goes above it while an old Micro holds it). */
    public static final int PAYARA_HTTP_PORT = Integer.getInteger("herald.payara.port", 18380);

    public static ServerTarget current() {
        return valueOf(System.getProperty("herald.target", "embedded").toUpperCase(Locale.ROOT));
    }

    /** The JUnit extension that deploys the test class's {@code @Deployment} on the current target. */
    public static Extension extension() {
        return current() == EMBEDDED ? new EmbeddedHerald() : new ArquillianExtension();
    }

    /**
     * The base URI of a deployment, ending in '/'. Payara Micro reports its host's interface address; the suite
     * always talks to loopback.
     */
    public static URI base(URL url) {
        String path = url.getPath().endsWith("/") ? url.getPath() : url.getPath() + "/";
        if (current() == PAYARA) {
            awaitListening(url.getPort());
        }
        return URI.create("http://127.0.0.1:" + url.getPort() + path);
    }

    /**
     * Once (in one of many runs) a fresh Micro JVM that had reported its URL refused the first connection; the
     * suite waits until the port answers instead of failing on that.
     */
    private static void awaitListening(int port) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The base URI of a deployment made with {@link Deployer#deploy(String)} (no URL is injected for those). */
    public static URI base(Deployer deployer, String deploymentName) throws Exception {
        return switch (current()) {
            case EMBEDDED -> ((EmbeddedDeployer) deployer).base(deploymentName);
            case WILDFLY -> URI.create("http://127.0.0.1:" + WILDFLY_HTTP_PORT + "/" + deploymentName + "/");
            case PAYARA -> PayaraPorts.find(deploymentName);
        };
    }
}
