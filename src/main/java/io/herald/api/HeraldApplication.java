package io.herald.api;

import io.herald.clients.ChannelsResource;
import io.herald.clients.ClientsResource;
import io.herald.clients.StatsResource;
import io.herald.demo.AiResource;
import io.herald.demo.JobsResource;
import io.herald.publish.ChannelEventsResource;
import io.herald.publish.EventsResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * Herald's JAX-RS application: every resource lives under {@code /api}.
 * <p>
 * It names its classes instead of leaving them to scanning. An empty {@code getClasses()} would make the server
 * mount every resource of the WAR here, so an enterprise app that adds Herald's jar and its own
 * {@code Application} would also find its resources under {@code /api}. Each application lists its own.
 */
@ApplicationPath("/api")
public class HeraldApplication extends Application {

    /** Herald's resources and providers; {@code HeraldApplicationTest} fails when one is missing. */
    static final Set<Class<?>> CLASSES = Set.of(
            ChannelsResource.class, ClientsResource.class, StatsResource.class,
            ChannelEventsResource.class, EventsResource.class, JobsResource.class, AiResource.class,
            BrokerUnavailableMapper.class, UnexpectedExceptionMapper.class, WebApplicationExceptionMapper.class);

    @Override
    public Set<Class<?>> getClasses() {
        return CLASSES;
    }
}
