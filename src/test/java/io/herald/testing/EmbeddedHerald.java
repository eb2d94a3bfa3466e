package io.herald.testing;

import io.herald.embedded.HeraldServer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a real embedded Herald on a free port for a test class and supplies its base URI as a parameter, or as
 * an {@code @ArquillianResource URL} field exactly where Arquillian supplies it on Payara and WildFly.
 * <p>
 * When the class has an Arquillian {@code @Deployment}, the server is configured from that archive (see
 * {@link EmbeddedDeployments}); a deployment with {@code managed = false} is started and stopped through the
 * injected {@code @ArquillianResource Deployer}, as on the servers.
 * <p>
 * Unless the class asks for {@code @HeraldConfig(secureDefaults = true)}, the server verifies tokens signed with
 * {@link TestTokens#SECRET}, lets anyone subscribe to any channel, and has no stream or publish-rate limits: the
 * core tests subscribe anonymously and publish with {@link TestTokens#admin()} (see {@link Http}).
 */
public class EmbeddedHerald implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestInstancePostProcessor {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedHerald.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        List<Method> deployments = EmbeddedDeployments.deploymentMethods(testClass);
        context.getStore(NS).put("deployer", new EmbeddedDeployer(testClass));
        if (deployments.isEmpty()) {
            context.getStore(NS).put("server", HeraldServer.start(config(testClass)));
            return;
        }
        for (Method m : deployments) {
            if (m.getAnnotation(Deployment.class).managed()) {
                context.getStore(NS).put("server", EmbeddedDeployments.start(testClass, EmbeddedDeployments.call(m)));
                return;
            }
        }
    }

    public static final Map<String, String> TEST_DEFAULTS = Map.of(
            "herald.auth.jwt.secret", TestTokens.SECRET,
            "herald.auth.public-channels", "**",
            "herald.limits.streams-per-subject", "0",
            "herald.limits.streams-per-address", "0",
            "herald.limits.publish-per-second", "0");

    public static Map<String, String> config(Class<?> testClass) {
        Map<String, String> config = new HashMap<>();
        config.put("herald.http.port", "0");
        config.put("herald.http.host", "127.0.0.1");
        HeraldConfig annotation = testClass.getAnnotation(HeraldConfig.class);
        if (annotation == null || !annotation.secureDefaults()) {
            config.putAll(TEST_DEFAULTS);
        }
        if (annotation != null) {
            for (String pair : annotation.value()) {
                int eq = pair.indexOf('=');
                config.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return config;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedDeployer deployer = context.getStore(NS).remove("deployer", EmbeddedDeployer.class);
        if (deployer != null) {
            deployer.undeployAll();
        }
        HeraldServer server = context.getStore(NS).remove("server", HeraldServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NS);
        HeraldServer server = store.get("server", HeraldServer.class);
        for (Class<?> c = testInstance.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(ArquillianResource.class)) {
                    continue;
                }
                f.setAccessible(true);
                if (f.getType() == Deployer.class) {
                    f.set(testInstance, store.get("deployer", EmbeddedDeployer.class));
                } else if (f.getType() == URL.class && server != null) {
                    f.set(testInstance, server.baseUri().toURL());
                } else if (f.getType() == URI.class && server != null) {
                    f.set(testInstance, server.baseUri());
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == URI.class || type == HeraldServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        HeraldServer server = e.getStore(NS).get("server", HeraldServer.class);
        return p.getParameter().getType() == URI.class ? server.baseUri() : server;
    }
}
