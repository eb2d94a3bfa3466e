package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.delivery.HeraldExecutors;
import io.herald.publish.HeraldMessage;
import io.herald.publish.Publisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AI page's stand-in for a language model: a canned answer built from the prompt, published on
 * {@code ai.<id>} as {@code token} events 20-80 ms apart, then {@code done}. Timed by Herald's one scheduler.
 */
@ApplicationScoped
public class TokenGenerator {

    private static final Logger LOG = Logger.getLogger(TokenGenerator.class.getName());
    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+");
    static final int MAX_RUNNING = 200;

    @Inject
    HeraldExecutors executors;
    @Inject
    Publisher publisher;

    private final Map<String, Generation> running = new ConcurrentHashMap<>();

    /** Starts streaming an answer; false when a generation with that id is still running. */
    public boolean start(String id, String prompt) {
        if (running.size() >= MAX_RUNNING) {
            throw io.herald.api.ApiException.unavailable("Too many demo answers are streaming", 5);
        }
        Generation g = new Generation(id, tokens(answer(prompt)));
        if (running.putIfAbsent(id, g) != null) {
            return false;
        }
        g.next();
        return true;
    }

    public boolean stop(String id) {
        Generation g = running.get(id);
        return g != null && g.finish("cancelled");
    }

    @PreDestroy
    void stopAll() {
        running.values().forEach(g -> g.finish("cancelled"));
    }

    static String answer(String prompt) {
        String topic = prompt.strip().replaceAll("\\s+", " ");
        if (topic.length() > 80) {
            topic = topic.substring(0, 80) + "…";
        }
        return "You asked: \"" + topic + "\".\n\n"
                + "Here is how Herald streams this answer. The page opened one Server-Sent Events stream on its own "
                + "channel before it asked, so no token can be missed. The server then publishes each token as an "
                + "event on that channel, and the browser appends it as it arrives: the first words show long "
                + "before the last one is written.\n\n"
                + "If the connection drops halfway, the browser reconnects with the id of the last token it saw, "
                + "and Herald replays only what came after it. When the answer is complete, a done event tells the "
                + "page to close its stream, so a finished answer never starts again on a reconnect.";
    }

    /** Word-sized pieces that concatenate back to the text exactly, each with the whitespace before it. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private final class Generation {
        private final String id;
        private final String channel;
        private final List<String> tokens;
        private int index;
        private boolean finished;
        private ScheduledFuture<?> pending;

        Generation(String id, List<String> tokens) {
            this.id = id;
            this.channel = "ai." + id;
            this.tokens = tokens;
        }

        synchronized void next() {
            if (!finished) {
                long delay = ThreadLocalRandom.current().nextLong(20, 81);
                pending = executors.scheduler().schedule(() -> executors.worker().execute(this::emit),
                        delay, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void emit() {
            if (finished) {
                return;
            }
            try {
                publisher.publish(HeraldMessage.of(channel, "token",
                        Jsons.JSON.createObjectBuilder().add("text", tokens.get(index)).add("index", index).build()));
                index++;
                if (index == tokens.size()) {
                    finish("stop");
                } else {
                    next();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "demo answer " + id + " stopped", e);
                finished = true;
                running.remove(id, this);
            }
        }

        synchronized boolean finish(String reason) {
            if (finished) {
                return false;
            }
            finished = true;
            if (pending != null) {
                pending.cancel(false);
            }
            running.remove(id, this);
            try {
                publisher.publish(HeraldMessage.of(channel, "done",
                        Jsons.JSON.createObjectBuilder().add("reason", reason).add("tokens", index).build()));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "demo answer " + id + ": done not published", e);
            }
            return true;
        }
    }
}
