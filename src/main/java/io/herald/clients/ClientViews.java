package io.herald.clients;

import io.herald.api.Jsons;
import io.herald.delivery.Connection;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/** The JSON shape of a client in the admin views. */
final class ClientViews {

    private ClientViews() {
    }

    static JsonObject of(Connection c) {
        JsonArrayBuilder channels = Jsons.JSON.createArrayBuilder();
        c.patterns().forEach(p -> channels.add(p.text()));
        JsonArrayBuilder events = Jsons.JSON.createArrayBuilder();
        c.eventTypes().forEach(events::add);
        String subject = c.viewer().subject();
        String ua = c.details().userAgent();
        return Jsons.JSON.createObjectBuilder()
                .add("clientId", c.clientId())
                .add("subject", subject == null ? JsonValue.NULL : Jsons.JSON.createValue(subject))
                .add("channels", channels)
                .add("events", events)
                .add("connectedAt", Instant.ofEpochMilli(c.connectedAtMillis()).toString())
                .add("userAgent", ua == null ? JsonValue.NULL : Jsons.JSON.createValue(ua))
                .add("remoteAddress", c.details().remoteAddress())
                .add("eventsSent", c.eventsSent())
                .add("queueDepth", c.queueDepth())
                .build();
    }

    static String list(Collection<Connection> connections) {
        JsonArrayBuilder clients = Jsons.JSON.createArrayBuilder();
        connections.stream().sorted(Comparator.comparingLong(Connection::connectedAtMillis))
                .forEach(c -> clients.add(of(c)));
        return Jsons.JSON.createObjectBuilder().add("clients", clients).add("count", connections.size()).build().toString();
    }
}
