package io.herald.clients;

import io.herald.api.Jsons;
import io.herald.cluster.ClusterDirectory;
import io.herald.cluster.NodeSnapshot;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.HubStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/** {@code /api/stats}: the hub's counters (admin). */
@ApplicationScoped
@RequiresPermission(Right.ADMIN)
@Path("stats")
public class StatsResource {

    @Inject
    ChannelRegistry registry;
    @Inject
    HubStats stats;
    @Inject
    ClusterDirectory directory;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String stats() {
        JsonObject node = NodeSnapshot.of(null, registry, stats);
        return Jsons.JSON.createObjectBuilder(node)
                .remove("startedAtMillis")
                .add("channels", registry.channelNames().size())
                .add("startedAt", Instant.ofEpochMilli(stats.startedAtMillis()).toString())
                .add("uptimeMs", System.currentTimeMillis() - stats.startedAtMillis())
                .add("cluster", directory.cluster(node))
                .build().toString();
    }
}
