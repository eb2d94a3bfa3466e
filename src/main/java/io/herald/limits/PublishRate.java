package io.herald.limits;

import io.herald.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits how many events each token subject publishes: a token bucket per subject refilled at
 * {@code herald.limits.publish-per-second}, holding at most {@code herald.limits.publish-burst}. Over it: 429 with
 * {@code Retry-After}. A batch counts each of its events. 0 per second turns the limit off.
 */
@ApplicationScoped
public class PublishRate {

    private static final int MAX_TRACKED = 100_000;

    @Inject
    @ConfigProperty(name = "herald.limits.publish-per-second", defaultValue = "100")
    double perSecond;
    @Inject
    @ConfigProperty(name = "herald.limits.publish-burst", defaultValue = "200")
    double burst;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    /** Takes {@code events} from the subject's bucket, or refuses with 429. */
    public void take(String subject, int events) {
        if (perSecond <= 0 || subject == null) {
            return;
        }
        long now = System.nanoTime();
        double capacity = Math.max(burst, 1);
        if (buckets.size() > MAX_TRACKED) {
            forgetFullBuckets(now, capacity);
        }
        Bucket b = buckets.computeIfAbsent(subject, k -> new Bucket(capacity, now));
        double missing;
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + (now - b.updatedNanos) / 1e9 * perSecond);
            b.updatedNanos = now;
            if (b.tokens >= events) {
                b.tokens -= events;
                return;
            }
            missing = Math.min(events, capacity) - b.tokens;
        }
        long seconds = Math.max(1, (long) Math.ceil(missing / perSecond));
        throw new ApiException(429, "publish_rate_exceeded", "This token's subject may publish "
                + java.math.BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString() + " events per second (bursts of " + (long) capacity + "); try again in "
                + seconds + " s", Map.of("Retry-After", String.valueOf(seconds)));
    }

    private void forgetFullBuckets(long now, double capacity) {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b.tokens + (now - b.updatedNanos) / 1e9 * perSecond >= capacity;
            }
        });
    }
}
