package io.herald.appserver.hooks;

import io.herald.publish.HeraldMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** In-process publishing as application code does it: a {@link HeraldMessage} fired as an async CDI event. */
@ApplicationScoped
@Path("cdi-publish")
public class CdiPublishResource {

    @Inject
    Event<HeraldMessage> herald;

    @POST
    public Response publish(@QueryParam("channel") String channel, @QueryParam("event") String event, String text) {
        herald.fireAsync(HeraldMessage.ofText(channel, event, text));
        return Response.accepted().build();
    }
}
