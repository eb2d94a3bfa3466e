package io.herald.publish;

import io.herald.api.JsonBody;
import io.herald.auth.ChannelParam;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.channel.ChannelName;
import io.herald.history.EventBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.util.List;

/**
 * {@code POST /api/channels/{channel}/events}: one event on one channel from an HTTP body, for {@link PublishFilter}
 * and {@link ChannelEventsResource} alike. Publish on the channel is checked before the body is read.
 */
@ApplicationScoped
public class ChannelPublishing {

    @Inject
    Publisher publisher;
    @Inject
    @ConfigProperty(name = "herald.publish.max-bytes", defaultValue = "65536")
    long maxBytes;

    /** Publishes and answers the 201 body, {@code {"id":...,"channel":...,"subscribers":...}}. */
    @RequiresPermission(Right.PUBLISH)
    public String publish(@ChannelParam String channel, String contentType, InputStream body) {
        ChannelName.require(channel);
        var draft = PublishRequests.single(JsonBody.read(contentType, body, maxBytes), List.of(channel), null);
        EventBroker.Appended appended = publisher.publish(draft);
        // written by hand, once per publish: ids and valid channel names need no JSON escaping
        return "{\"id\":\"" + appended.event().id().text() + "\",\"channel\":\"" + channel + "\",\"subscribers\":"
                + appended.subscribers() + "}";
    }
}
