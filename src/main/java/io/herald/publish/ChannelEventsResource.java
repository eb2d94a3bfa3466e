package io.herald.publish;

import io.herald.auth.Caller;
import io.herald.channel.ChannelName;
import io.herald.poll.PollQuery;
import io.herald.poll.PollService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.List;

/**
 * {@code /api/channels/{channel}/events}: publish to one channel (POST), or poll it as JSON (GET). A plain POST is
 * served by {@link PublishFilter} before it gets here; both call {@link HttpPublishing}.
 */
@ApplicationScoped
@Path("channels/{channel}/events")
public class ChannelEventsResource {

    @Inject
    HttpPublishing publishing;
    @Inject
    PollService polls;
    @Inject
    Caller caller;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("channel") String channel, @HeaderParam("Content-Type") String contentType,
                            InputStream body) {
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(publishing.publish(channel, contentType, body)).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public void poll(@PathParam("channel") String channel, @QueryParam("after") String after,
                     @QueryParam("wait") String wait, @QueryParam("event") List<String> events,
                     @Suspended AsyncResponse response) {
        ChannelName.require(channel);
        polls.poll(PollQuery.of(List.of(channel), List.of(), events, List.of(), after, wait), caller.viewer(),
                response);
    }
}
