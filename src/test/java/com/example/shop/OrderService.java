package com.example.shop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The shop's business logic: it knows nothing of Herald and only fires its domain event. */
@ApplicationScoped
public class OrderService {

    private final Map<String, String> carriers = new ConcurrentHashMap<>();

    @Inject
    Event<OrderShipped> shipped;

    public OrderShipped ship(String orderId, String carrier) {
        carriers.put(orderId, carrier);
        OrderShipped event = new OrderShipped(orderId, carrier);
        shipped.fire(event);
        return event;
    }

    public Optional<String> carrier(String orderId) {
        return Optional.ofNullable(carriers.get(orderId));
    }
}
