package io.herald.demo;

import io.herald.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the demo profile is on ({@code herald.demo.enabled}, off by default; the embedded launcher's default run
 * turns it on). When off, the demo feeds never start and the demo endpoints answer 404, so the WAR on an
 * application server behaves as if they did not exist.
 */
@ApplicationScoped
public class DemoMode {

    @Inject
    @ConfigProperty(name = "herald.demo.enabled", defaultValue = "false")
    boolean enabled;

    public boolean enabled() {
        return enabled;
    }

    /** For demo endpoints: the same 404 as an unknown path when the demo profile is off. */
    public void require() {
        if (!enabled) {
            throw ApiException.notFound("not_found", "The demo endpoints are off (herald.demo.enabled=false)");
        }
    }
}
