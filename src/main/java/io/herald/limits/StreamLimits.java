package io.herald.limits;

import io.herald.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps concurrent streams per token subject and per client address on this node. Over a cap the stream is refused
 * as temporary (429 here; the stream endpoint turns it into {@code 200} + {@code event: unavailable}).
 * 0 turns a cap off.
 */
@ApplicationScoped
public class StreamLimits {

    @Inject
    @ConfigProperty(name = "herald.limits.streams-per-subject", defaultValue = "16")
    int perSubject;
    @Inject
    @ConfigProperty(name = "herald.limits.streams-per-address", defaultValue = "256")
    int perAddress;
    @Inject
    @ConfigProperty(name = "herald.limits.retry-after-seconds", defaultValue = "10")
    int retryAfterSeconds;

    private final Map<String, Integer> subjects = new ConcurrentHashMap<>();
    private final Map<String, Integer> addresses = new ConcurrentHashMap<>();

    /** Takes a slot for a stream of this subject (null when anonymous) from this address, or refuses with 429. */
    public StreamLease acquire(String subject, String address) {
        if (!take(addresses, address, perAddress)) {
            throw refused("too_many_streams_from_address",
                    "This address has " + perAddress + " open streams, the most allowed");
        }
        if (subject != null && !take(subjects, subject, perSubject)) {
            give(addresses, address);
            throw refused("too_many_streams_for_subject",
                    "This token's subject has " + perSubject + " open streams, the most allowed");
        }
        return new StreamLease(() -> {
            give(addresses, address);
            if (subject != null) {
                give(subjects, subject);
            }
        });
    }

    public int openFor(String subject) {
        return subjects.getOrDefault(subject, 0);
    }

    private static boolean take(Map<String, Integer> counts, String key, int max) {
        if (max <= 0 || key == null) {
            return true;
        }
        boolean[] taken = new boolean[1];
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            taken[0] = current < max;
            return taken[0] ? current + 1 : (n == null ? null : n);
        });
        return taken[0];
    }

    private static void give(Map<String, Integer> counts, String key) {
        if (key != null) {
            counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    private ApiException refused(String error, String message) {
        return new ApiException(429, error, message + "; try again later",
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }
}
