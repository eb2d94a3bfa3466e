package com.example.shop;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /shop/orders}: the shop's own API. */
@RequestScoped
@Path("orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    @Inject
    OrderService orders;

    @POST
    @Path("{id}/shipment")
    public Response ship(@PathParam("id") String id, String carrier) {
        OrderShipped shipped = orders.ship(id, carrier);
        return Response.status(201).entity(json(shipped.orderId(), shipped.carrier())).build();
    }

    @GET
    @Path("{id}")
    public String order(@PathParam("id") String id) {
        return json(id, orders.carrier(id).orElseThrow(() -> new NotFoundException("no order " + id)));
    }

    private static String json(String id, String carrier) {
        return Json.createObjectBuilder().add("orderId", id).add("carrier", carrier).build().toString();
    }
}
