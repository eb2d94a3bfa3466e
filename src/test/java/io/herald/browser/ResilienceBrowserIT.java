package io.herald.browser;

import io.herald.embedded.HeraldServer;
import io.herald.testing.Browser;
import io.herald.testing.BrowserSession;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.FreezableRelay;
import io.herald.testing.Http;
import io.herald.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat page in real Chromium while the connection misbehaves: the server drops it, restarts, is reached
 * without EventSource or through a buffering proxy, or goes silent. Every message published in the meantime is
 * shown exactly once, in order.
 */
@ExtendWith(BrowserSession.class)
class ResilienceBrowserIT {

    static final Duration WAIT = Duration.ofSeconds(20);

    static HeraldServer start(int port, String... extra) throws Exception {
        Map<String, String> config = new HashMap<>(EmbeddedHerald.config(ResilienceBrowserIT.class));
        config.put("herald.http.port", String.valueOf(port));
        config.put("herald.retry-ms", "1000");
        config.put("herald.profile", "demo"); // the demo login gives the page a token for its own publishes
        for (String pair : extra) {
            config.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return HeraldServer.start(config);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<String> publish(URI base, String room, String prefix, int count) throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            texts.add(prefix + i);
            publishOne(base, room, prefix + i);
        }
        return texts;
    }

    static void publishOne(URI base, String room, String text) throws Exception {
        Http.publish(base, "chat." + room, "message", "{\"user\":\"tester\",\"text\":\"" + text + "\"}");
    }

    static void awaitShown(Browser b, int count) throws Exception {
        assertTrue(b.waitFor("document.querySelectorAll('#messages .msg').length >= " + count, WAIT),
                () -> "shown: " + ChatPage.messages(b) + ", state: " + b.js("return document.querySelector('#state').textContent"));
        Thread.sleep(300); // anything doubled would show up now
    }

    static void recordStates(Browser b) {
        b.js("window.reasons = []; herald.onState((s, i) => reasons.push(s + ':' + i.reason));");
    }

    /** Connected again after a failure: streaming, or polling when the library judged the stream unusable. */
    static void awaitConnected(Browser b) throws Exception {
        assertTrue(b.waitFor("window.herald && (herald.state === 'open' || herald.state === 'polling')", WAIT),
                () -> "page not connected: " + b.js("return document.querySelector('#state').textContent"));
    }

    static void awaitOpen(Browser b) throws Exception {
        assertTrue(b.waitFor("window.herald && herald.state === 'open'", WAIT),
                () -> "page not connected: " + b.js("return document.querySelector('#state').textContent"));
    }

    @Test
    void adminDisconnectLosesNothing(Browser b) throws Exception {
        try (HeraldServer server = start(0)) {
            URI base = server.baseUri();
            b.open(base.resolve("chat.html?room=dropped"));
            awaitOpen(b);
            List<String> expected = new ArrayList<>(publish(base, "dropped", "before ", 10));
            awaitShown(b, 10);
            String clientId = b.js("return herald.clientId");
            int status = Http.delete(base, "api/clients/" + clientId).statusCode();
            assertTrue(status >= 200 && status < 300, "admin disconnect answered " + status);
            expected.addAll(publish(base, "dropped", "meanwhile ", 10));
            assertTrue(b.waitFor("herald.state === 'open' && herald.clientId !== '" + clientId + "'", WAIT));
            expected.addAll(publish(base, "dropped", "after ", 10));
            awaitShown(b, 30);
            assertEquals(expected, ChatPage.messages(b));
        }
    }

    @Test
    void restartOfTheEmbeddedServerResetsThePageAndLosesNothing(Browser b) throws Exception {
        int port = freePort();
        List<String> expected = new ArrayList<>();
        try (HeraldServer before = start(port)) {
            b.open(before.baseUri().resolve("chat.html?room=restart"));
            awaitOpen(b);
            recordStates(b);
            expected.addAll(publish(before.baseUri(), "restart", "before ", 10));
            awaitShown(b, 10);
        }
        Thread.sleep(2500); // the page retries against a closed port a few times meanwhile
        try (HeraldServer after = start(port)) {
            expected.addAll(publish(after.baseUri(), "restart", "meanwhile ", 10));
            assertTrue(b.waitFor("herald.state === 'open' && herald.stats.resets >= 1", WAIT),
                    () -> "states: " + b.js("return reasons"));
            expected.addAll(publish(after.baseUri(), "restart", "after ", 10));
            awaitShown(b, 30);
            assertEquals(expected, ChatPage.messages(b));
            assertTrue(ChatPage.notices(b).stream().anyMatch(n -> n.contains("the server was reset")),
                    () -> "the page handles the reset: " + ChatPage.notices(b));
            assertEquals("eventsource", b.js("return herald.transport"), "a server that is down is waited for, not polled");
        }
    }

    @Test
    void withoutEventSourceThePageFallsBackToPollingAndGetsEveryEvent(Browser b) throws Exception {
        try (HeraldServer server = start(0); AutoCloseable noEventSource = b.beforeEveryPage("delete window.EventSource;")) {
            URI base = server.baseUri();
            b.open(base.resolve("chat.html?room=polling"));
            // the first poll (wait=0) answers the hub's position; events published before that answer are not the
            // page's to see, so publishing starts once the library holds a position
            assertTrue(b.waitFor("typeof EventSource === 'undefined' && herald.transport === 'poll' && herald.lastEventId", WAIT));
            List<String> expected = publish(base, "polling", "polled ", 30);
            awaitShown(b, 30);
            assertEquals(expected, ChatPage.messages(b));
            assertEquals("polling", b.js("return herald.state"));
        }
    }

    @Test
    void behindABufferingNginxTheLibraryFallsBackToPollingAndLosesNothing(Browser b) throws Exception {
        try (HeraldServer server = start(0); Nginx nginx = Nginx.buffering(server.baseUri())) {
            URI direct = server.baseUri();
            b.open(nginx.baseUri().resolve("chat.html?room=proxied"));
            assertTrue(b.waitFor("window.herald && herald.lastEventId", WAIT), "the library learned its position");
            recordStates(b);
            // published while the proxy holds the stream's bytes back
            List<String> expected = new ArrayList<>(publish(direct, "proxied", "buffered ", 10));
            assertTrue(b.waitFor("herald.transport === 'poll'", Duration.ofSeconds(30)),
                    () -> "states: " + b.js("return reasons"));
            assertTrue(b.<List<String>>js("return reasons").contains("polling:buffering-suspected"),
                    () -> "states: " + b.js("return reasons"));
            expected.addAll(publish(direct, "proxied", "polled ", 10));
            awaitShown(b, 20);
            assertEquals(expected, ChatPage.messages(b));
        }
    }

    @Test
    void heartbeatTimeoutFiresWhenTheServerGoesSilent(Browser b) throws Exception {
        try (HeraldServer server = start(0, "herald.heartbeat.interval-ms=1000");
             FreezableRelay relay = new FreezableRelay(server.baseUri())) {
            b.open(relay.baseUri().resolve("chat.html?room=silent"));
            awaitOpen(b);
            assertTrue(b.waitFor("herald.stats.heartbeats >= 1", WAIT));
            recordStates(b);
            List<String> expected = new ArrayList<>(publish(server.baseUri(), "silent", "before ", 5));
            awaitShown(b, 5);
            relay.freeze(); // the connection stays open but nothing more arrives
            long frozenAt = System.nanoTime();
            expected.addAll(publish(server.baseUri(), "silent", "unheard ", 5));
            assertTrue(b.waitFor("reasons.some(r => r.endsWith(':heartbeat-timeout'))", Duration.ofSeconds(10)),
                    () -> "states: " + b.js("return reasons"));
            long silentMs = (System.nanoTime() - frozenAt) / 1_000_000;
            assertTrue(silentMs >= 1500, "timed out after " + silentMs + " ms of silence, not at once");
            // on a loaded machine the library may judge the new stream too slow and poll instead: both recover
            awaitConnected(b);
            expected.addAll(publish(server.baseUri(), "silent", "after ", 5));
            awaitShown(b, 15);
            assertEquals(expected, ChatPage.messages(b));
        }
    }
}
