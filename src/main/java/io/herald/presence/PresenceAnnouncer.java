package io.herald.presence;

import io.herald.api.Jsons;
import io.herald.channel.ChannelPattern;
import io.herald.cluster.ClusterDirectory;
import io.herald.history.BrokerUnavailableException;
import io.herald.delivery.Connection;
import io.herald.event.EventDraft;
import io.herald.publish.Publisher;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Publishes {@code join} and {@code leave} events on the channels matching {@code herald.presence.channels}
 * as streams subscribed to them by name come and go.
 */
@ApplicationScoped
public class PresenceAnnouncer {

    private static final Logger LOG = Logger.getLogger(PresenceAnnouncer.class.getName());

    @Inject
    Publisher publisher;
    @Inject
    ClusterDirectory directory;

    @Inject
    @ConfigProperty(name = "herald.presence.channels")
    Optional<String> presenceChannels;

    private List<ChannelPattern> patterns = List.of();

    @PostConstruct
    void init() {
        patterns = ChannelPattern.parseList(presenceChannels.orElse(null));
    }

    public boolean isPresenceChannel(String channel) {
        return ChannelPattern.anyMatches(patterns, channel);
    }

    public void joined(Connection c) {
        directory.joined(c);
        announce(c, "join");
    }

    public void left(Connection c) {
        directory.left(c);
        announce(c, "leave");
    }

    private void announce(Connection c, String type) {
        if (patterns.isEmpty()) {
            return;
        }
        for (ChannelPattern p : c.patterns()) {
            if (p.isLiteral() && isPresenceChannel(p.text())) {
                try {
                    publisher.publishInternal(EventDraft.of(p.text(), type, describe(c, p.text())));
                } catch (BrokerUnavailableException e) {
                    // The broker is down: the stream itself goes on; presence lists catch up on its return.
                    LOG.fine(() -> "No " + type + " event for " + c.clientId() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The presence record of a connection on a channel: clientId, subject, connectedAt, channel. */
    public static JsonObject describe(Connection c, String channel) {
        String subject = c.viewer().subject();
        return Jsons.JSON.createObjectBuilder()
                .add("clientId", c.clientId())
                .add("subject", subject == null ? JsonValue.NULL : Jsons.JSON.createValue(subject))
                .add("connectedAt", Instant.ofEpochMilli(c.connectedAtMillis()).toString())
                .add("channel", channel)
                .build();
    }
}
