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
