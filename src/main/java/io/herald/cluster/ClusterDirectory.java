package io.herald.cluster;

import io.herald.delivery.Connection;
import jakarta.json.JsonObject;

import java.util.List;

/**
 * What this node knows about the other nodes of the hub: their clients, presence and counters.
 * On a single node there are none ({@link LocalDirectory}); across nodes it lives in Redis ({@code RedisDirectory}).
 */
public interface ClusterDirectory {

    /** Starts announcing this node (heartbeats). */
    void start();

    /** A stream opened on this node. */
    void joined(Connection c);

    /** A stream closed on this node. */
    void left(Connection c);

    /** Whether a stream with this client id is open on another live node. */
    boolean isConnectedElsewhere(String clientId);

    /** The presence records ({@code clientId, subject, connectedAt, channel}) of the channel on other live nodes. */
    List<JsonObject> membersElsewhere(String channel);

    /** The hub-wide counters: this node's {@code local} snapshot added to the other live nodes' last heartbeats. */
    JsonObject cluster(JsonObject local);

    void stop();
}
