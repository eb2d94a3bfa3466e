package io.herald.clients;

import io.herald.api.Jsons;
import io.herald.auth.AccessToken;
import io.herald.auth.Authorization;
import io.herald.auth.Caller;
import io.herald.auth.RequiresPermission;
import io.herald.auth.Right;
import io.herald.channel.ChannelName;
import io.herald.channel.ChannelPattern;
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
    @Inject
    Caller caller;
    @Inject
    Authorization authorization;

    /** The channels the caller may subscribe to (all of them for {@code admin}). */
    @GET
    public String list() {
        var token = caller.token();
        boolean admin = token.map(t -> t.hasPermission(AccessToken.ADMIN)).orElse(false);
        JsonArrayBuilder channels = Jsons.JSON.createArrayBuilder();
        for (String name : new TreeSet<>(registry.channelNames())) {
            if (!admin && !authorization.maySubscribe(token, ChannelPattern.parse(name))) {
                continue;
            }
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
    @RequiresPermission(Right.SUBSCRIBE)
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
    @RequiresPermission(Right.ADMIN)
    public String subscribers(@PathParam("channel") String channel) {
        ChannelName.require(channel);
        return ClientViews.list(registry.subscribersOf(channel));
    }
}
