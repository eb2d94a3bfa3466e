package com.example.shop;

/** The shop's domain event: an order left the warehouse. */
public record OrderShipped(String orderId, String carrier) {
}
