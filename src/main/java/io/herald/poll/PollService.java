package io.herald.poll;

import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.HeraldExecutors;
import io.herald.delivery.Subscriber;
import io.herald.delivery.Viewer;
import io.herald.event.EventId;
import io.herald.event.HubEvent;
import io.herald.event.JsonText;
import io.herald.history.EventBroker;
import io.herald.history.Replay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JSON polling fallback. A long poll registers as a subscriber before it reads history, so an event published
 * in between is never missed; the first matching event (or the wait's end) completes it.
 */
@ApplicationScoped
public class PollService {

    static final int MAX_EVENTS = 1000;

    @Inject
    EventBroker broker;
    @Inject
    ChannelRegistry registry;
    @Inject
    HeraldExecutors executors;
    @Inject
    @ConfigProperty(name = "herald.poll.max-wait-seconds", defaultValue = "30")
    int maxWaitSeconds;

    @RequiresPermission(Right.SUBSCRIBE)
    public void poll(PollQuery query, AsyncResponse response) {
        poll(query, Viewer.ANONYMOUS, response);
    }

    /** Polls for {@code viewer}, the current caller; the caller needs subscribe on every channel and pattern. */
    @RequiresPermission(Right.SUBSCRIBE)
    public void poll(PollQuery query, Viewer viewer, AsyncResponse response) {
        int wait = Math.min(query.waitSeconds(), maxWaitSeconds);
        String after = query.after() != null ? query.after() : broker.head().text();
        Waiter waiter = new Waiter(query, viewer, after, response);
        if (wait > 0) {
            registry.watch(waiter);
        }
        Replay replay = broker.readAfter(after, waiter.replayKeys());
        if (replay.isReset() || wait == 0 || hasVisible(waiter, replay)) {
            waiter.finish(replay);
            return;
        }
        response.setTimeoutHandler(r -> waiter.finish(null));
        response.setTimeout(wait, TimeUnit.SECONDS);
    }

    private static boolean hasVisible(Waiter w, Replay replay) {
        for (HubEvent e : replay.events()) {
            String channel = w.matchingChannel(e);
            if (channel != null && w.accepts(e, channel)) {
                return true;
            }
        }
        return false;
    }

    private final class Waiter extends Subscriber {
        private final String after;
        private final AsyncResponse response;
        private final AtomicBoolean done = new AtomicBoolean();

        Waiter(PollQuery query, Viewer viewer, String after, AsyncResponse response) {
            super(query.subscription().patterns(), query.subscription().eventTypes(), viewer);
            this.after = after;
            this.response = response;
        }

        @Override
        protected void deliver(HubEvent event, String channel) {
            if (!done.get()) {
                executors.worker().execute(() -> finish(null));
            }
        }

        /** Answers once: with {@code replay} when given, else with a fresh read of the log. */
        void finish(Replay replay) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            registry.unwatch(this);
            Replay r = replay != null ? replay : broker.readAfter(after, replayKeys());
            response.resume(Response.ok(answer(r), MediaType.APPLICATION_JSON_TYPE).build());
        }

        private String answer(Replay r) {
            StringBuilder events = new StringBuilder(512).append('[');
            EventId last = r.upTo();
            int n = 0;
            for (HubEvent e : r.events()) {
                String channel = matchingChannel(e);
                if (channel == null || !accepts(e, channel)) {
                    continue;
                }
                if (n == MAX_EVENTS) {
                    break;
                }
                events.append(n == 0 ? "{" : ",{");
                JsonText.field(events, "id", e.id().text()).append(',');
                JsonText.field(events, "event", e.typeOrMessage()).append(',');
                JsonText.field(events, "channel", channel).append(",\"data\":").append(e.dataJson()).append('}');
                n++;
                if (n == MAX_EVENTS) {
                    last = e.id();
                }
            }
            StringBuilder answer = new StringBuilder(events.length() + 96).append("{\"events\":").append(events).append("],");
            return JsonText.field(answer, "lastEventId", last.text()).append(",\"reset\":").append(r.isReset()).append('}')
                    .toString();
        }
    }

}
