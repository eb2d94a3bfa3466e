package io.herald.transport;

import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 in a real browser: one Chromium page opens more event streams than the 6 an HTTP/1.1 origin allows, all
 * multiplexed over one TLS connection, and every one of them receives its events. Needs Debian's {@code chromium}
 * and {@code chromium-driver}; fails (never skips) without them.
 */
@ExtendWith(EmbeddedHerald.class)
@HeraldConfig({"herald.tls.self-signed=true", "herald.tls.keystore=target/test-tls/h2-browser.p12",
        "herald.https.port=0"})
class Http2BrowserTest {

    static final int STREAMS = 12;
    static final Path CHROMIUM = Path.of(System.getProperty("herald.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("herald.test.chromedriver", "/usr/bin/chromedriver"));

    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "The HTTP/2 browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install chromium chromium-driver (Debian) or set -Dherald.test.chromium/-Dherald.test.chromedriver");
        profile = Files.createTempDirectory("herald-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void twelveConcurrentStreamsOnOnePageAllOverH2(URI base) throws Exception {
        assertEquals("https", base.getScheme());
        browser.get(base.resolve("health/live").toString());
        JavascriptExecutor js = browser;
        js.executeScript("""
                window.connected = 0; window.received = {};
                for (let i = 0; i < arguments[0]; i++) {
                  const es = new EventSource('/api/events?channel=h2.s' + i);
                  es.addEventListener('connected', () => window.connected++);
                  es.onmessage = e => { window.received[i] = e.data; };
                }""", STREAMS);
        Object connected = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1], n = arguments[0], t0 = Date.now();
                (function poll() {
                  if (window.connected >= n || Date.now() - t0 > 20000) done(window.connected);
                  else setTimeout(poll, 20);
                })();""", STREAMS);
        assertEquals((long) STREAMS, connected, "every stream opened at once: HTTP/1.1 would hold all but 6");

        // publish from the page too, so the publishes are resource entries on the same origin
        Object published = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1], n = arguments[0], token = arguments[1];
                Promise.all([...Array(n).keys()].map(i => fetch('/api/channels/h2.s' + i + '/events', {
                    method: 'POST', headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token},
                    body: JSON.stringify({data: 'event for stream ' + i})}).then(r => r.status)))
                  .then(statuses => done(statuses.every(s => s === 201) || statuses.join()), e => done(String(e)));""",
                STREAMS, TestTokens.admin());
        assertEquals(Boolean.TRUE, published);

        Map<String, Object> received = (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1], n = arguments[0], t0 = Date.now();
                (function poll() {
                  if (Object.keys(window.received).length >= n || Date.now() - t0 > 20000) done(window.received);
                  else setTimeout(poll, 20);
                })();""", STREAMS);
        assertEquals(STREAMS, received.size(), "streams that got their event: " + received.keySet());
        for (int i = 0; i < STREAMS; i++) {
            assertEquals("event for stream " + i, received.get(String.valueOf(i)), "stream " + i);
        }

        // an entry is added when its response ends: the streams are still open, the page's publishes have ended
        List<Map<String, Object>> entries = (List<Map<String, Object>>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1], n = arguments[0], t0 = Date.now();
                const list = () => performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'))
                  .map(e => ({name: e.name, protocol: e.nextHopProtocol}));
                (function poll() {
                  if (list().length >= n || Date.now() - t0 > 10000) done(list());
                  else setTimeout(poll, 50);
                })();""", STREAMS);
        assertTrue(entries.size() >= STREAMS, "resource entries: " + entries);
        for (Map<String, Object> e : entries) {
            assertEquals("h2", e.get("protocol"), "nextHopProtocol of " + e.get("name"));
        }
        Object navigation = js.executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol");
        assertEquals("h2", navigation);
    }
}
