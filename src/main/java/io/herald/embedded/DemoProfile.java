package io.herald.embedded;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The embedded launcher's default run ({@code herald.profile=demo}; never in the WAR): a random HMAC key per start
 * unless {@code herald.auth.jwt.secret} is set, every channel readable anonymously unless
 * {@code herald.auth.public-channels} is set, and the demo login of {@link DemoLoginResource}. Its settings sit
 * below every other configuration source, so anything configured wins.
 */
final class DemoProfile {

    static final String KEY = "herald.profile";
    static final String NAME = "demo";
    static final int ORDINAL = 60;

    private DemoProfile() {
    }

    static Map<String, String> settings() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of(
                "herald.auth.jwt.secret", Base64.getUrlEncoder().withoutPadding().encodeToString(key),
                "herald.auth.public-channels", "**",
                // the demo pages' server side (io.herald.demo) and presence for the chat and editor pages
                "herald.demo.enabled", "true",
                "herald.presence.channels", "chat.*,doc.*",
                // with herald.tls.enabled=true, HTTPS and HTTP/2 from a certificate generated on first start
                "herald.tls.self-signed", "true");
    }

    static String banner(String baseUri) {
        return """
                ************************************************************************
                *  DEMO PROFILE (herald.profile=demo): not for production.             *
                *  - tokens are signed with a random key made at this start            *
                *    (unless herald.auth.jwt.secret is set);                           *
                *  - every channel can be read anonymously;                            *
                *  - POST %sapi/demo/login hands out short-lived tokens to anyone.
                *  Run with HERALD_PROFILE=prod and a real key for anything else.      *
                ************************************************************************"""
                .formatted(baseUri);
    }
}
