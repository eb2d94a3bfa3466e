package io.herald.api;

import io.herald.history.BrokerUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Any request that needs the broker while it is unreachable (a poll, say) answers 503 with {@code Retry-After}. */
@Provider
public class BrokerUnavailableMapper implements ExceptionMapper<BrokerUnavailableException> {

    @Override
    public Response toResponse(BrokerUnavailableException e) {
        return ApiException.unavailable(e.getMessage(), e.retryAfterSeconds()).getResponse();
    }
}
