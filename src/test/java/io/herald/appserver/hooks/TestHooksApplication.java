package io.herald.appserver.hooks;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * Test-only endpoints added to the WAR under test (never part of herald.war): the black-box tests reach
 * in-process code only through them.
 */
@ApplicationPath("/test-hooks")
public class TestHooksApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(CdiPublishResource.class, ConfigResource.class);
    }
}
