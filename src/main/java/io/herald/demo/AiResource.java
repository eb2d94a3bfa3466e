package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/** {@code /api/demo/ai}: streams a canned answer token by token (POST) or stops it (DELETE). Demo profile only. */
@ApplicationScoped
@Path("demo/ai")
public class AiResource {

    static final int MAX_PROMPT = 4000;

    @Inject
    DemoMode demo;
    @Inject
    TokenGenerator generator;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response ask(@HeaderParam("Content-Type") String contentType, InputStream body) {
        demo.require();
        JsonObject request = DemoIds.object(JsonBody.read(contentType, body, 64 * 1024));
        String id = DemoIds.id(request, "id");
        if (!(request.get("prompt") instanceof JsonString prompt) || prompt.getString().isBlank()) {
            throw ApiException.badRequest("missing_prompt", "Send a non-empty 'prompt'");
        }
        if (prompt.getString().length() > MAX_PROMPT) {
            throw ApiException.badRequest("prompt_too_long", "The prompt is over " + MAX_PROMPT + " characters");
        }
        if (!generator.start(id, prompt.getString())) {
            throw new ApiException(409, "answer_running", "Answer '" + id + "' is still streaming");
        }
        String json = Jsons.JSON.createObjectBuilder().add("id", id).add("channel", "ai." + id).build().toString();
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }

    @DELETE
    @Path("{id}")
    public Response stop(@PathParam("id") String id) {
        demo.require();
        if (!generator.stop(id)) {
            throw ApiException.notFound("unknown_answer", "No answer with id '" + id + "' is streaming");
        }
        return Response.accepted().build();
    }
}
