package io.herald.delivery;

/** What a stream request told about its client, for the admin views. */
public record ClientDetails(String userAgent, String remoteAddress) {
}
