package io.herald.publish;

import io.herald.api.JsonBody;
import io.herald.api.Jsons;
import io.herald.auth.Authenticated;
import io.herald.auth.ChannelParam;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.channel.ChannelName;
import io.herald.history.EventBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.util.List;

/**
 * Publishing from an HTTP body, for {@link PublishFilter} and the JAX-RS resources alike: one event on one channel
 * ({@code POST /api/channels/{channel}/events}), or a batch ({@code POST /api/events}). The caller is checked before
 * the body is read.
 */
@ApplicationScoped
public class HttpPublishing {

    @Inject
    Publisher publisher;
    @Inject
    @ConfigProperty(name = "herald.publish.max-bytes", defaultValue = "65536")
    long maxBytes;

    /** The largest body a publish may have ({@code herald.publish.max-bytes}). */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * What {@link #publish} checks before it reads the body, for a body read later: the caller may publish on
     * {@code channel}, the name is valid, and the body is declared JSON.
     */
    @RequiresPermission(Right.PUBLISH)
    public void checkPublish(@ChannelParam String channel, String contentType) {
        ChannelName.require(channel);
        JsonBody.requireJson(contentType);
    }

    /** What {@link #publishBatch} checks before it reads the body, for a body read later: a token, a JSON body. */
    @Authenticated
    public void checkBatch(String contentType) {
        JsonBody.requireJson(contentType);
    }

    /**
     * One event on {@code channel}, which needs publish; answers the 201 body,
     * {@code {"id":...,"channel":...,"subscribers":...}}.
     */
    @RequiresPermission(Right.PUBLISH)
    public String publish(@ChannelParam String channel, String contentType, InputStream body) {
        ChannelName.require(channel);
        var draft = PublishRequests.single(JsonBody.read(contentType, body, maxBytes), List.of(channel), null);
        EventBroker.Appended appended = publisher.publish(draft);
        // written by hand, once per publish: ids and valid channel names need no JSON escaping
        return "{\"id\":\"" + appended.event().id().text() + "\",\"channel\":\"" + channel + "\",\"subscribers\":"
                + appended.subscribers() + "}";
    }

    /**
     * The events of a batch, in order, all or none (every item's channels need publish; the caller needs a token
     * before the body is read); answers the 201 body,
     * {@code {"events":[{"id":...,"channels":[...],"subscribers":...}]}}.
     */
    @Authenticated
    public String publishBatch(String contentType, InputStream body) {
        var drafts = PublishRequests.batch(JsonBody.read(contentType, body, maxBytes));
        List<EventBroker.Appended> appended = publisher.publishAll(drafts);
        JsonArrayBuilder events = Jsons.JSON.createArrayBuilder();
        for (EventBroker.Appended a : appended) {
            JsonArrayBuilder channels = Jsons.JSON.createArrayBuilder();
            a.event().channels().forEach(channels::add);
            events.add(Jsons.JSON.createObjectBuilder()
                    .add("id", a.event().id().text())
                    .add("channels", channels)
                    .add("subscribers", a.subscribers()));
        }
        return Jsons.JSON.createObjectBuilder().add("events", events).build().toString();
    }
}
