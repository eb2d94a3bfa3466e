package io.herald.publish;

import io.herald.api.Jsons;
import io.herald.api.JsonBody;
import io.herald.auth.Authenticated;
import io.herald.auth.Caller;
import io.herald.history.EventBroker;
import io.herald.poll.PollQuery;
import io.herald.poll.PollService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.util.List;

/**
 * {@code /api/events}: batch publishing (POST) and the all-channels polling fallback ({@code GET /api/events/poll}).
 * {@code GET /api/events} itself, the event stream, is served by {@link io.herald.stream.EventStreamFilter}.
 */
@ApplicationScoped
@Path("events")
public class EventsResource {

    @Inject
    Publisher publisher;
    @Inject
    PollService polls;
    @Inject
    Caller caller;
    @Inject
    @ConfigProperty(name = "herald.publish.max-bytes", defaultValue = "65536")
    long maxBytes;

    /** Needs a token before the body is read; the publisher checks each item's channels. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Authenticated
    public Response publishBatch(@HeaderParam("Content-Type") String contentType, InputStream body) {
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
        String json = Jsons.JSON.createObjectBuilder().add("events", events).build().toString();
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }

    @GET
    @Path("poll")
    @Produces(MediaType.APPLICATION_JSON)
    public void poll(@QueryParam("channel") List<String> channel, @QueryParam("channels") List<String> channels,
                     @QueryParam("event") List<String> event, @QueryParam("events") List<String> events,
                     @QueryParam("after") String after, @QueryParam("lastEventId") String lastEventId,
                     @QueryParam("wait") String wait, @Suspended AsyncResponse response) {
        polls.poll(PollQuery.of(channel, channels, event, events, after != null ? after : lastEventId, wait),
                caller.viewer(), response);
    }
}
