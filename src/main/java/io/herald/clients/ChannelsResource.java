package io.herald.clients;

import io.herald.channel.ChannelName;
import io.herald.delivery.ChannelRegistry;
import io.herald.delivery.Connection;
import io.herald.presence.PresenceAnnouncer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.TreeSet;

/** {@code /api/channels}: channel names with subscriber counts, presence, and subscribers (admin). */
@ApplicationScoped
@Path("channels")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelsResource {

    @Inject
    ChannelRegistry registry;

    @GET
    public String list() {
        JsonArrayBuilder channels = Json.createArrayBuilder();
        for (String name : new TreeSet<>(registry.channelNames())) {
            JsonObjectBuilder item = Json.createObjectBuilder()
                    .add("name", name)
                    .add("subscribers", registry.subscribersOf(name).size());
            registry.lastEventOn(name).ifPresent(id -> item.add("lastEventId", id.text()));
            channels.add(item);
        }
        return Json.createObjectBuilder().add("channels", channels).build().toString();
    }

    @GET
    @Path("{channel}/presence")
    public String presence(@PathParam("channel") String channel) {
        ChannelName.require(channel);
        JsonArrayBuilder members = Json.createArrayBuilder();
        registry.exactSubscribers(channel).stream()
                .sorted(Comparator.comparingLong(Connection::connectedAtMillis))
                .forEach(c -> members.add(PresenceAnnouncer.describe(c, channel)));
        return Json.createObjectBuilder().add("channel", channel).add("members", members).build().toString();
    }

    @GET
    @Path("{channel}/subscribers")
    public String subscribers(@PathParam("channel") String channel) {
        ChannelName.require(channel);
        return ClientViews.list(registry.subscribersOf(channel));
    }
}
