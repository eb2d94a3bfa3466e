package io.herald.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Herald's JAX-RS application: every resource lives under {@code /api}. */
@ApplicationPath("/api")
public class HeraldApplication extends Application {
}
