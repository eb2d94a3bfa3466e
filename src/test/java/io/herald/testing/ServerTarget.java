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

    /** WildFly's ports, moved by {@code jboss.socket.binding.port-offset} (arquillian.xml) off the usual 8080/9990. */
    public static final int WILDFLY_HTTP_PORT = 18080;
    public static final int WILDFLY_MANAGEMENT_PORT = 19990;
    /** Payara Micro's first port for deployments we deploy ourselves (arquillian.xml: --port, auto-bind above). */
    public static final int PAYARA_HTTP_PORT = 18380;

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
        return URI.create("http://127.0.0.1:" + url.getPort() + path);
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
