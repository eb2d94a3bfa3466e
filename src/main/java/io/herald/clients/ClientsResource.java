package io.herald.clients;

import io.herald.api.Jsons;
import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.Connection;
import io.herald.history.EventBroker;
import io.herald.publish.PublishRequests;
import io.herald.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.util.List;

/** {@code /api/clients}: the client registry and sends to one connection; all of it needs {@code admin}. */
@ApplicationScoped
@RequiresPermission(Right.ADMIN)
@Path("clients")
@Produces(MediaType.APPLICATION_JSON)
public class ClientsResource {

    @Inject
    ChannelRegistry registry;
    @Inject
    Publisher publisher;
    @Inject
    @ConfigProperty(name = "herald.publish.max-bytes", defaultValue = "65536")
    long maxBytes;

    @GET
    public String list() {
        return ClientViews.list(registry.connections());
    }

    @GET
    @Path("{clientId}")
    public String get(@PathParam("clientId") String clientId) {
        return ClientViews.of(find(clientId)).toString();
    }

    @DELETE
    @Path("{clientId}")
    public Response disconnect(@PathParam("clientId") String clientId) {
        find(clientId).closeGracefully(null, Connection.CloseReason.DISCONNECTED_BY_ADMIN);
        return Response.noContent().build();
    }

    @POST
    @Path("{clientId}/events")
    public Response send(@PathParam("clientId") String clientId, @HeaderParam("Content-Type") String contentType,
                         InputStream body) {
        var draft = PublishRequests.single(JsonBody.read(contentType, body, maxBytes), List.of(), clientId);
        EventBroker.Appended appended = publisher.sendToClient(clientId, draft);
        String json = Jsons.JSON.createObjectBuilder()
                .add("id", appended.event().id().text())
                .add("clientId", clientId)
                .add("subscribers", appended.subscribers())
                .build().toString();
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }

    private Connection find(String clientId) {
        return registry.connection(clientId).filter(c -> !c.isClosed())
                .orElseThrow(() -> ApiException.notFound("unknown_client",
                        "No open stream has client id '" + clientId + "'"));
    }
}
