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
 */
public class EmbeddedHerald implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedHerald.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        context.getStore(NS).put("server", HeraldServer.start(config(context.getRequiredTestClass())));
    }

    public static Map<String, String> config(Class<?> testClass) {
        Map<String, String> config = new HashMap<>();
        config.put("herald.http.port", "0");
        config.put("herald.http.host", "127.0.0.1");
        HeraldConfig annotation = testClass.getAnnotation(HeraldConfig.class);
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
