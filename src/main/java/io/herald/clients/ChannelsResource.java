package io.herald.clients;

import io.herald.api.Jsons;
import io.herald.channel.ChannelName;
import io.herald.delivery.ChannelRegistry;
import io.herald.cluster.ClusterDirectory;
import io.herald.presence.PresenceAnnouncer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** {@code /api/channels}: channel names with subscriber counts, presence, and subscribers (admin). */
@ApplicationScoped
@Path("channels")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelsResource {

    @Inject
    ChannelRegistry registry;
    @Inject
    ClusterDirectory directory;

    @GET
    public String list() {
        JsonArrayBuilder channels = Jsons.JSON.createArrayBuilder();
        for (String name : new TreeSet<>(registry.channelNames())) {
            JsonObjectBuilder item = Jsons.JSON.createObjectBuilder()
                    .add("name", name)
                    .add("subscribers", registry.subscribersOf(name).size());
            registry.lastEventOn(name).ifPresent(id -> item.add("lastEventId", id.text()));
            channels.add(item);
        }
        return Jsons.JSON.createObjectBuilder().add("channels", channels).build().toString();
    }

    @GET
    @Path("{channel}/presence")
    public String presence(@PathParam("channel") String channel) {
        ChannelName.require(channel);
        List<JsonObject> all = new ArrayList<>();
        registry.exactSubscribers(channel).forEach(c -> all.add(PresenceAnnouncer.describe(c, channel)));
        all.addAll(directory.membersElsewhere(channel));
        JsonArrayBuilder members = Jsons.JSON.createArrayBuilder();
        all.stream().sorted(Comparator.comparing((JsonObject m) -> Instant.parse(m.getString("connectedAt")))
                .thenComparing(m -> m.getString("clientId"))).forEach(members::add);
        return Jsons.JSON.createObjectBuilder().add("channel", channel).add("members", members).build().toString();
    }

    @GET
    @Path("{channel}/subscribers")
    public String subscribers(@PathParam("channel") String channel) {
        ChannelName.require(channel);
        return ClientViews.list(registry.subscribersOf(channel));
    }
}
