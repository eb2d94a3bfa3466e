package com.example.shop;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * The enterprise app's own JAX-RS application, next to Herald's {@code /api} in the same WAR. Both name their
 * classes, so each is mounted once, at its own path.
 */
@ApplicationPath("/shop")
public class ShopApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(OrdersResource.class);
    }
}
