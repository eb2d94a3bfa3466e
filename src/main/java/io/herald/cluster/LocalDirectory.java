package io.herald.cluster;

import io.herald.delivery.Connection;
import jakarta.json.JsonObject;

import java.util.List;

/** A hub of one node: nobody else to ask. */
public final class LocalDirectory implements ClusterDirectory {

    @Override
    public void start() {
    }

    @Override
    public void joined(Connection c) {
    }

    @Override
    public void left(Connection c) {
    }

    @Override
    public boolean isConnectedElsewhere(String clientId) {
        return false;
    }

    @Override
    public List<JsonObject> membersElsewhere(String channel) {
        return List.of();
    }

    @Override
    public JsonObject cluster(JsonObject local) {
        return NodeSnapshot.sum(List.of(local));
    }

    @Override
    public void stop() {
    }
}
