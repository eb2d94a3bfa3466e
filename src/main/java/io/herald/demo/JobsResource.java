package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/** {@code /api/demo/jobs}: starts (POST) and cancels (DELETE) the job page's simulated jobs. Demo profile only. */
@ApplicationScoped
@Path("demo/jobs")
public class JobsResource {

    @Inject
    DemoMode demo;
    @Inject
    JobRunner jobs;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(@HeaderParam("Content-Type") String contentType, InputStream body) {
        demo.require();
        JsonObject request = DemoIds.object(JsonBody.read(contentType, body, 4096));
        String jobId = DemoIds.id(request, "jobId");
        int steps = DemoIds.bounded(request, "steps", 20, 1, 200);
        int stepMs = DemoIds.bounded(request, "stepMs", 300, 10, 10_000);
        boolean fail = request.get("fail") == JsonValue.TRUE;
        if (!jobs.start(jobId, steps, stepMs, fail)) {
            throw new ApiException(409, "job_running", "Job '" + jobId + "' is already running");
        }
        String json = Jsons.JSON.createObjectBuilder().add("jobId", jobId).add("channel", "jobs." + jobId).build().toString();
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }

    @DELETE
    @Path("{jobId}")
    public Response cancel(@PathParam("jobId") String jobId) {
        demo.require();
        if (!jobs.cancel(jobId)) {
            throw ApiException.notFound("unknown_job", "No running job has id '" + jobId + "'");
        }
        return Response.accepted().build();
    }
}
