package com.example.shop;

import io.herald.publish.HeraldMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;

/** Turns the shop's domain event into a Herald event on {@code shop.orders.<id>}, through CDI, without HTTP. */
@ApplicationScoped
public class ShipmentNotifier {

    @Inject
    Event<HeraldMessage> herald;

    void onShipped(@Observes OrderShipped event) {
        herald.fireAsync(HeraldMessage.of("shop.orders." + event.orderId(), "shipped",
                Json.createObjectBuilder().add("orderId", event.orderId()).add("carrier", event.carrier()).build()));
    }
}
