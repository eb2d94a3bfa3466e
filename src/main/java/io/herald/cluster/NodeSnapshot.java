package io.herald.cluster;

import io.herald.api.Jsons;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.HubStats;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;

/** One node's counters as JSON, which nodes share through their heartbeats, and their cluster-wide sum. */
public final class NodeSnapshot {

    /** Counters that add up across nodes. */
    static final List<String> SUMMED = List.of("connections", "eventsDelivered", "slowClientsDropped", "replays",
            "resets", "connectionsOpened");

    private NodeSnapshot() {
    }

    public static JsonObject of(String nodeId, ChannelRegistry registry, HubStats stats) {
        JsonObjectBuilder out = Jsons.JSON.createObjectBuilder();
        if (nodeId != null) {
            out.add("node", nodeId);
        }
        return out
                .add("connections", registry.connectionCount())
                .add("eventsPublished", stats.published())
                .add("eventsDelivered", stats.delivered())
                .add("slowClientsDropped", stats.slowClientsDropped())
                .add("replays", stats.replays())
                .add("resets", stats.resets())
                .add("connectionsOpened", stats.connectionsOpened())
                .add("startedAtMillis", stats.startedAtMillis())
                .build();
    }

    /**
     * The cluster view: summed counters, the node count, and {@code eventsPublished} as the most any node has seen
     * (every node sees every event of the one log, so adding them up would count each event once per node).
     */
    public static JsonObject sum(List<JsonObject> nodes) {
        JsonObjectBuilder out = Jsons.JSON.createObjectBuilder().add("nodes", nodes.size());
        for (String key : SUMMED) {
            long total = 0;
            for (JsonObject n : nodes) {
                total += n.get(key) instanceof JsonNumber num ? num.longValue() : 0;
            }
            out.add(key, total);
        }
        long published = 0;
        for (JsonObject n : nodes) {
            published = Math.max(published, n.get("eventsPublished") instanceof JsonNumber num ? num.longValue() : 0);
        }
        return out.add("eventsPublished", published).build();
    }
}
