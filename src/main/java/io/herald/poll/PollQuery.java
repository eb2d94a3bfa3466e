package io.herald.poll;

import io.herald.api.ApiException;
import io.herald.channel.Subscription;

import java.util.List;

/**
 * A polling request: what to follow, the last id seen ({@code null}: start at the newest), and how long to wait.
 */
public record PollQuery(Subscription subscription, String after, int waitSeconds) {

    public static PollQuery of(List<String> channel, List<String> channels, List<String> event, List<String> events,
                               String after, String wait) {
        Subscription s = Subscription.parse(channel, channels, event, events, Subscription.DEFAULT_MAX_CHANNELS);
        int seconds = 0;
        if (wait != null && !wait.isEmpty()) {
            try {
                seconds = Integer.parseInt(wait);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_wait", "\"wait\" must be whole seconds");
            }
            if (seconds < 0) {
                throw ApiException.badRequest("invalid_wait", "\"wait\" must not be negative");
            }
        }
        return new PollQuery(s, after == null || after.isEmpty() ? null : after, seconds);
    }
}
