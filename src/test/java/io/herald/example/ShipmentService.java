package io.herald.example;

import io.herald.publish.HeraldMessage;
import io.herald.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;

/**
 * An enterprise app's service publishing to Herald without HTTP: by firing a CDI event that the hub observes,
 * or by calling the hub's publisher directly.
 */
@ApplicationScoped
public class ShipmentService {

    @Inject
    Event<HeraldMessage> herald;
    @Inject
    Publisher publisher;

    /** Fire-and-forget: the hub publishes the message asynchronously. */
    public void ship(String orderId, String carrier) {
        herald.fireAsync(HeraldMessage.of("orders." + orderId, "shipped",
                Json.createObjectBuilder().add("orderId", orderId).add("carrier", carrier).build()));
    }

    /** Synchronous: returns the new event's id once the hub's log holds it. */
    public String deliver(String orderId) {
        return publisher.publish(HeraldMessage.ofText("orders." + orderId, "delivered", "Order " + orderId + " delivered"))
                .event().id().text();
    }
}
