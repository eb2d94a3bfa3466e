package io.herald.publish;

import io.herald.auth.Caller;
import io.herald.poll.PollQuery;
import io.herald.poll.PollService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
    HttpPublishing publishing;
    @Inject
    PollService polls;
    @Inject
    Caller caller;

    /** A batch; a plain {@code POST /api/events} is served by {@link PublishFilter} before it gets here. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response publishBatch(@HeaderParam("Content-Type") String contentType, InputStream body) {
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(publishing.publishBatch(contentType, body)).build();
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
