package io.herald.appserver;

import com.example.shop.OrderService;
import com.example.shop.OrderShipped;
import com.example.shop.OrdersResource;
import com.example.shop.ShipmentNotifier;
import com.example.shop.ShopApplication;
import io.herald.testing.Http;
import io.herald.testing.ServerTarget;
import io.herald.testing.SseClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An enterprise app built on Herald: its own WAR with Herald's classes jar in {@code WEB-INF/lib}, its own JAX-RS
 * application at {@code /shop}, and a domain event that reaches Herald's subscribers through CDI.
 * Herald's stream (a {@code @WebFilter} in the jar) and {@code /api} come with the jar; nothing is configured.
 */
class EnterpriseAppIT {

    @RegisterExtension
    static final Extension SERVER = ServerTarget.extension();

    @Deployment(testable = false)
    static WebArchive deployment() {
        File classesJar = new File("target/herald-classes.jar");
        File[] heraldLibs = Objects.requireNonNull(new File("target/herald/WEB-INF/lib").listFiles(),
                "target/herald/WEB-INF/lib: run after package");
        return ShrinkWrap.create(WebArchive.class, "shop.war")
                .addClasses(ShopApplication.class, OrdersResource.class, OrderService.class, OrderShipped.class,
                        ShipmentNotifier.class)
                .addAsLibraries(classesJar)
                .addAsLibraries(heraldLibs) // Herald's own dependencies (Lettuce for the Redis broker)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsResource(Deployments.config(), "META-INF/microprofile-config.properties");
    }

    @ArquillianResource
    URL url;
    URI base;

    @BeforeEach
    void base() {
        base = ServerTarget.base(url);
    }

    @Test
    void theAppsResourceAndHeraldsStreamBothWorkAndDomainEventsReachSubscribers() throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=shop.orders.*")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(10)), client::rawText);

            var shipped = Http.post(base, "shop/orders/A-17/shipment", "ACME Freight");
            assertEquals(201, shipped.statusCode(), shipped.body());
            assertEquals("{\"orderId\":\"A-17\",\"carrier\":\"ACME Freight\"}", shipped.body());
            assertEquals(200, Http.get(base, "shop/orders/A-17").statusCode());

            assertTrue(client.awaitCount("shipped", 1, Duration.ofSeconds(10)), client::rawText);
            assertEquals("{\"orderId\":\"A-17\",\"carrier\":\"ACME Freight\"}", client.events("shipped").get(0).data());

            // Herald's API is there, and each application holds only its own resources
            assertEquals(201, Http.post(base, "api/channels/shop.news/events", "{\"data\":1}").statusCode());
            assertEquals(404, Http.get(base, "api/orders/A-17").statusCode(), "the shop's resource is not under /api");
            assertEquals(404, Http.get(base, "shop/stats").statusCode(), "Herald's resources are not under /shop");
        }
    }
}
