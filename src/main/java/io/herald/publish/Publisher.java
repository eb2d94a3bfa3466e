package io.herald.publish;

import io.herald.api.ApiException;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.channel.ChannelName;
import io.herald.delivery.ChannelRegistry;
import io.herald.event.EventDraft;
import io.herald.cluster.ClusterDirectory;
import io.herald.history.BrokerUnavailableException;
import io.herald.history.EventBroker;
import io.herald.limits.PublishRateLimited;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Publishes events into the hub: from HTTP, from in-process code that injects it, and from CDI events
 * ({@link HeraldMessage} fired with {@code fireAsync}).
 * <p>
 * The {@link EventDraft} methods act for the caller of the current request: the interceptors check its token's
 * publish grants and publish rate, and refuse a call made without one. {@link HeraldMessage}s come from code inside
 * the server and are trusted.
 */
@ApplicationScoped
public class Publisher {

    @Inject
    EventBroker broker;
    @Inject
    ChannelRegistry registry;
    @Inject
    ClusterDirectory directory;

    /** Publishes a message from in-process code (trusted: no token needed); returns once the log holds it. */
    public EventBroker.Appended publish(HeraldMessage message) {
        EventDraft draft = new EventDraft(message.channels(), message.event(), message.data(), null, null, null);
        validate(draft);
        return append(draft);
    }

    /** Validates and publishes one event for the current caller, who needs publish on its channels. */
    @RequiresPermission(Right.PUBLISH)
    @PublishRateLimited
    public EventBroker.Appended publish(EventDraft draft) {
        validate(draft);
        return append(draft);
    }

    /** Validates every draft first, then publishes them in order; the caller needs publish on every channel. */
    @RequiresPermission(Right.PUBLISH)
    @PublishRateLimited
    public List<EventBroker.Appended> publishAll(List<EventDraft> drafts) {
        drafts.forEach(this::validate);
        List<EventBroker.Appended> out = new ArrayList<>(drafts.size());
        for (EventDraft d : drafts) {
            out.add(append(d));
        }
        return out;
    }

    /**
     * Sends an event to one connection, on whichever node holds it (an admin call: it bypasses channels); 404 when
     * it is gone from every node.
     */
    @RequiresPermission(Right.ADMIN)
    @PublishRateLimited
    public EventBroker.Appended sendToClient(String clientId, EventDraft draft) {
        if (registry.connection(clientId).filter(c -> !c.isClosed()).isEmpty() && !isConnectedElsewhere(clientId)) {
            throw ApiException.notFound("unknown_client", "No open stream has client id '" + clientId + "'");
        }
        EventNames.require(draft.type());
        return append(new EventDraft(List.of(), draft.type(), draft.data(), draft.retry(), draft.audience(), clientId));
    }

    /** For Herald's own events (join, leave): skips the reserved-name rule. */
    public void publishInternal(EventDraft draft) {
        append(draft);
    }

    void onMessage(@ObservesAsync HeraldMessage message) {
        publish(message);
    }

    private void validate(EventDraft draft) {
        if (draft.channels().isEmpty()) {
            throw ApiException.badRequest("missing_channel", "An event needs at least one channel");
        }
        draft.channels().forEach(ChannelName::require);
        EventNames.require(draft.type());
        if (draft.data() == null) {
            throw ApiException.badRequest("missing_data", "The event needs data");
        }
    }

    private boolean isConnectedElsewhere(String clientId) {
        try {
            return directory.isConnectedElsewhere(clientId);
        } catch (BrokerUnavailableException e) {
            throw ApiException.unavailable(e.getMessage(), e.retryAfterSeconds());
        }
    }

    /** Appends to the log; while the log cannot take events (Redis down) the caller gets a 503 to retry. */
    private EventBroker.Appended append(EventDraft draft) {
        try {
            return broker.append(draft).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BrokerUnavailableException bue) {
                throw ApiException.unavailable(bue.getMessage(), bue.retryAfterSeconds());
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        } catch (BrokerUnavailableException e) {
            throw ApiException.unavailable(e.getMessage(), e.retryAfterSeconds());
        }
    }
}
