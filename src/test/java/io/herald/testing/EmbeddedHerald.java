package io.herald.testing;

import io.herald.embedded.HeraldServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real embedded Herald on a free port for a test class and supplies its base URI
 * (as {@code @ArquillianResource URL} does on the application servers).
 * <p>
 * Unless the class asks for {@code @HeraldConfig(secureDefaults = true)}, the server verifies tokens signed with
 * {@link TestTokens#SECRET}, lets anyone subscribe to any channel, and has no stream or publish-rate limits: the
 * core tests subscribe anonymously and publish with {@link TestTokens#admin()} (see {@link Http}).
 */
public class EmbeddedHerald implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedHerald.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NS).put("server", HeraldServer.start(config(context.getRequiredTestClass())));
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
        HeraldServer server = context.getStore(NS).remove("server", HeraldServer.class);
        if (server != null) {
            server.close();
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
