package io.herald.appserver.hooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads one MicroProfile Config key as the deployed application sees it (server-config tests read keys back). */
@ApplicationScoped
@Path("config/{key}")
public class ConfigResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String value(@PathParam("key") String key) {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class)
                .orElseThrow(() -> new NotFoundException(key + " is not set"));
    }
}
