package io.herald.browser;

import io.herald.testing.Browser;
import io.herald.testing.BrowserSession;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.HeraldConfig;
import io.herald.testing.Http;
import io.herald.testing.SseClient;
import io.herald.testing.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each demo page in real Chromium against a real embedded Herald in the demo profile: numbered events published
 * to a page appear exactly once and in order, and the demo feeds and endpoints drive their pages. Each page's
 * screenshot is saved under target/screenshots to look at.
 */
@ExtendWith({EmbeddedHerald.class, BrowserSession.class})
// herald.profile=demo: the security work's demo login, which gives the pages their tokens
@HeraldConfig({"herald.profile=demo", "herald.demo.enabled=true", "herald.presence.channels=chat.*,doc.*"})
class DemoPagesBrowserIT {

    static final int N = 40;
    static final Duration WAIT = Duration.ofSeconds(20);

    static List<String> numbered(String prefix) {
        return IntStream.rangeClosed(1, N).mapToObj(i -> prefix + i).toList();
    }

    static void awaitOpen(Browser b) throws Exception {
        assertTrue(b.waitFor("window.herald && herald.state === 'open'", WAIT),
                () -> "page never connected: " + b.js("return document.querySelector('#state').textContent"));
    }

    @Test
    void chatShowsExactlyThePublishedMessagesInOrder(URI base, Browser b) throws Exception {
        b.open(base.resolve("chat.html?room=numbered"));
        awaitOpen(b);
        for (String text : numbered("message ")) {
            Http.publish(base, "chat.numbered", "message", "{\"user\":\"tester\",\"text\":\"" + text + "\"}");
        }
        assertTrue(b.waitFor("document.querySelectorAll('#messages .msg').length >= " + N, WAIT));
        Thread.sleep(300); // anything doubled would show up now
        assertEquals(numbered("message "), ChatPage.messages(b));
        b.screenshot("chat");
    }

    @Test
    void notificationsShowsEachNotificationOnceNewestFirstAndReadClearsTheBadge(URI base, Browser b) throws Exception {
        b.open(base.resolve("notifications.html?user=carol"));
        awaitOpen(b);
        for (int i = 1; i <= N; i++) {
            Http.publish(base, "user.carol.notifications", "notification",
                    "{\"id\":\"n-" + i + "\",\"title\":\"note " + i + "\",\"body\":\"body " + i + "\",\"level\":\"info\"}");
        }
        assertTrue(b.waitFor("document.querySelectorAll('#notes li').length >= " + N, WAIT));
        Thread.sleep(300);
        List<String> titles = b.js("return [...document.querySelectorAll('#notes li')].map(li => li.firstChild.textContent)");
        List<String> expected = new ArrayList<>(numbered("note "));
        Collections.reverse(expected);
        assertEquals(expected, titles);
        assertEquals(String.valueOf(N), b.js("return document.querySelector('#count').textContent"));
        b.screenshot("notifications");
        Http.publish(base, "user.carol.notifications", "read", "{\"all\":true}");
        assertTrue(b.waitFor("document.querySelector('#count').hidden && !document.querySelector('#notes li.unread')", WAIT));
    }

    @Test
    void jobPageShowsEveryLogLineOfTheJobInOrderAndItsDone(URI base, Browser b) throws Exception {
        try (SseClient server = SseClient.open(base, "api/events?channel=jobs.*&event=log&event=done")) {
            b.open(base.resolve("jobs.html"));
            b.js("document.querySelector('#steps').value = arguments[0]; document.querySelector('#stepms').value = 20;"
                    + "document.querySelector('#start button[type=submit], #start button').click();", N);
            assertTrue(b.waitFor("document.querySelector('.job.done-succeeded')", WAIT),
                    () -> b.js("return document.querySelector('#jobs').innerText"));
            assertTrue(server.awaitCount("done", 1, WAIT));
            List<String> published = server.events("log").stream().map(e -> field(e, "message")).toList();
            List<String> shown = b.js("return document.querySelector('.job .log').textContent.split('\\n')"
                    + ".filter(l => l && !l.includes('job accepted on channel'))"
                    + ".map(l => l.replace(/^\\S+ (INFO|WARN|ERROR) /, ''))");
            assertEquals(published, shown);
            assertEquals(100L, b.<Object>js("return document.querySelector('.job progress').value"));
            b.screenshot("jobs");
        }
    }

    @Test
    void aiPageShowsEveryTokenInOrderThenClosesOnDone(URI base, Browser b) throws Exception {
        try (SseClient server = SseClient.open(base, "api/events?channel=ai.*&event=token&event=done")) {
            b.open(base.resolve("ai.html"));
            b.js("document.querySelector('#prompt').value = 'Count the tokens'; document.querySelector('#go').click();");
            assertTrue(server.awaitCount("done", 1, Duration.ofSeconds(60)));
            assertTrue(b.waitFor("window.herald && herald.state === 'closed' && !document.querySelector('#go').disabled", WAIT));
            String expected = String.join("", server.events("token").stream().map(e -> field(e, "text")).toList());
            assertTrue(server.events("token").size() > 50, "a real stream of tokens");
            assertEquals(expected, b.js("return document.querySelector('#answer').textContent"));
            b.screenshot("ai");
        }
    }

    @Test
    void stockPageFollowsTheSimulatedFeedAndShowsPublishedPricesAndAlerts(URI base, Browser b) throws Exception {
        b.open(base.resolve("stocks.html"));
        awaitOpen(b);
        assertTrue(b.waitFor("document.querySelectorAll('#quotes .quote').length >= 3", WAIT), "the simulated feed drives the page");
        for (int i = 1; i <= N; i++) {
            Http.publish(base, "stocks.AAPL", "price", "{\"symbol\":\"AAPL\",\"price\":" + (1000 + i) + ",\"change\":1}");
        }
        Http.publish(base, "stocks.market", "alert", "{\"level\":\"critical\",\"message\":\"market halted\"}");
        assertTrue(b.waitFor("document.querySelector('#alerts .banner.critical')", WAIT));
        // the simulated feed keeps moving AAPL, so the page shows our last price or a later one of the feed
        assertTrue(b.waitFor("[...document.querySelectorAll('#quotes .quote')].some(q => q.querySelector('.sym').textContent === 'AAPL')", WAIT));
        b.screenshot("stocks");
    }

    @Test
    void monitorPageChartsHostMetricsAndHighlightsCriticalAlerts(URI base, Browser b) throws Exception {
        b.open(base.resolve("monitor.html?statsEvery=500"));
        awaitOpen(b);
        assertTrue(b.waitFor("/%$/.test(document.querySelector('#cpuv').textContent)", WAIT), "host metrics arrive");
        assertTrue(b.waitFor("document.querySelectorAll('#kv tr').length > 3", WAIT), "stats are polled");
        Http.publish(base, "monitor", "alert", "{\"level\":\"critical\",\"message\":\"CPU above 90%\",\"metric\":\"cpu\",\"value\":93.1}");
        assertTrue(b.waitFor("document.querySelector('#alerts .banner.critical') && document.title.includes('CRITICAL')", WAIT));
        Thread.sleep(1500); // a few points on the charts for the screenshot
        b.screenshot("monitor");
    }

    @Test
    void editorWindowsSeeEachOthersText(URI base, Browser b) throws Exception {
        b.open(base.resolve("editor.html?doc=shared"));
        awaitOpen(b);
        String first = b.driver().getWindowHandle();
        b.newTab();
        b.open(base.resolve("editor.html?doc=shared"));
        awaitOpen(b);
        assertTrue(b.waitFor("!document.querySelector('#doc').disabled", WAIT));
        b.js("const ta = document.querySelector('#doc'); ta.value = 'typed in the second window';"
                + "ta.dispatchEvent(new Event('input', {bubbles: true}));");
        b.driver().switchTo().window(first);
        assertTrue(b.waitFor("document.querySelector('#doc').value === 'typed in the second window'", WAIT));
        b.screenshot("editor");
        b.driver().close();
        b.driver().switchTo().window(b.driver().getWindowHandles().iterator().next());
    }

    @Test
    void indexLinksEveryDemo(URI base, Browser b) throws Exception {
        b.open(base);
        List<String> links = b.js("return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))");
        for (String page : List.of("stocks.html", "chat.html", "notifications.html", "editor.html", "monitor.html",
                "jobs.html", "ai.html")) {
            assertTrue(links.stream().anyMatch(l -> l.contains(page)), page + " linked from the index");
            assertEquals(200, Http.get(base, page).statusCode());
        }
        b.screenshot("index");
    }

    static String field(SseEvent e, String name) {
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(e.data()))) {
            return reader.readObject().getString(name);
        }
    }
}
