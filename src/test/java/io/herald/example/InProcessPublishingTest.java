package io.herald.example;

import io.herald.embedded.HeraldServer;
import io.herald.testing.EmbeddedHerald;
import io.herald.testing.SseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Application code publishes through CDI, and subscribers see it like any other event. */
@ExtendWith(EmbeddedHerald.class)
class InProcessPublishingTest {

    @Test
    void cdiEventsAndThePublisherReachSubscribers(URI base, HeraldServer server) throws Exception {
        try (SseClient client = SseClient.open(base, "api/events?channel=orders.*")) {
            assertTrue(client.awaitCount("connected", 1, Duration.ofSeconds(5)));
            ShipmentService shipments = server.cdi().select(ShipmentService.class).get();
            shipments.ship("A-17", "ACME Freight");
            assertTrue(client.awaitCount("shipped", 1, Duration.ofSeconds(5)), client::rawText);
            String id = shipments.deliver("A-17");
            assertTrue(client.awaitCount("delivered", 1, Duration.ofSeconds(5)), client::rawText);
            assertEquals("{\"orderId\":\"A-17\",\"carrier\":\"ACME Freight\"}", client.events("shipped").get(0).data());
            assertEquals("Order A-17 delivered", client.events("delivered").get(0).data());
            assertEquals(id, client.events("delivered").get(0).id());
        }
    }
}
