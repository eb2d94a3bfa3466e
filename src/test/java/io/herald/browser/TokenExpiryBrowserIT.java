package io.herald.browser;

import io.herald.testing.Browser;
import io.herald.testing.BrowserSession;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token expiry in real Chromium: the chat page logs in through the demo profile's login, the server closes its
 * stream when the short-lived token expires, and the library gets a fresh token and resumes by id. Messages
 * published the whole time are shown exactly once, in order.
 */
@ExtendWith({EmbeddedHerald.class, BrowserSession.class})
@HeraldConfig({"herald.profile=demo", "herald.demo.token-ttl-ms=4000", "herald.auth.jwt.clock-skew-ms=0",
        "herald.auth.public-channels=public.**", "herald.auth.expiry-check-ms=200", "herald.retry-ms=1000"})
class TokenExpiryBrowserIT {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void expiredTokenIsRenewedAndTheStreamContinuesWithNoGap(URI base, Browser b) throws Exception {
        try (AutoCloseable countLogins = b.beforeEveryPage("""
                window.logins = 0;
                const original = window.fetch;
                window.fetch = function (url, init) {
                  if (String(url).includes('api/demo/login')) window.logins++;
                  return original.apply(this, arguments);
                };""")) {
            b.open(base.resolve("chat.html?room=tokens"));
            assertTrue(b.waitFor("window.herald && herald.state === 'open'", WAIT),
                    () -> "not connected: " + b.js("return document.querySelector('#state').textContent"));
            b.js("window.reasons = []; herald.onState((s, i) => reasons.push(s + ':' + i.reason));");
            String firstToken = b.js("return new URL(herald._es.url).searchParams.get('access_token')");
            assertTrue(firstToken != null && firstToken.split("\\.").length == 3, "the stream carries the demo token");

            List<String> expected = new ArrayList<>();
            long until = System.currentTimeMillis() + 9000; // more than two token lifetimes
            for (int i = 1; System.currentTimeMillis() < until; i++) {
                expected.add("m" + i);
                ResilienceBrowserIT.publishOne(base, "tokens", "m" + i);
                Thread.sleep(100);
            }
            ResilienceBrowserIT.awaitShown(b, expected.size());
            assertEquals(expected, ChatPage.messages(b));
            List<String> reasons = b.js("return reasons");
            assertTrue(reasons.stream().filter("connecting:token-expired"::equals).count() >= 2,
                    () -> "the server closed the stream at each expiry: " + reasons);
            assertTrue(b.<Long>js("return window.logins") >= 3, "a fresh token for each reconnect");
            assertTrue(!firstToken.equals(b.js("return new URL(herald._es.url).searchParams.get('access_token')")),
                    "the stream runs on a new token");
        }
    }
}
