package io.herald.auth;

import io.herald.embedded.HeraldServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong security setting stops the server at start, naming the key, instead of failing requests later. */
class StartupValidationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "herald.auth.jwt.secret         | too-short",
            "herald.auth.jwt.public-key     | /nonexistent/key.pem",
            "herald.auth.jwt.jwks           | ftp://example/jwks",
            "herald.http.trusted-proxies    | proxy.example.com",
            "herald.cors.origins            | *",
    })
    void refusesToStart(String key, String value) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("herald.http.port", "0",
                "herald.http.host", "127.0.0.1", key, value));
        if (key.equals("herald.cors.origins")) {
            config.put("herald.cors.credentials", "true");
        }
        Exception e = assertThrows(Exception.class, () -> HeraldServer.start(config).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains(key), messages::toString);
    }
}
