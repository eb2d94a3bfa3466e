package io.herald.history;

/**
 * The broker cannot be reached (Redis is down or restarting). Publishing answers {@code 503} with
 * {@code Retry-After}; nothing is accepted that the log did not take.
 */
public class BrokerUnavailableException extends RuntimeException {

    private final long retryAfterSeconds;

    public BrokerUnavailableException(String message, Throwable cause, long retryAfterSeconds) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** How long a client should wait before trying again. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
