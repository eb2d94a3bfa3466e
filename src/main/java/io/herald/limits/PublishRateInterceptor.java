package io.herald.limits;

import io.herald.auth.AccessToken;
import io.herald.auth.Caller;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import java.util.Collection;

/** Enforces {@link PublishRateLimited}; runs after the permission check, so refused calls cost nothing. */
@PublishRateLimited
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 120)
public class PublishRateInterceptor {

    @Inject
    Caller caller;
    @Inject
    PublishRate rate;

    @AroundInvoke
    Object limit(InvocationContext ctx) throws Exception {
        String subject = caller.token().map(AccessToken::subject).orElse(null);
        if (subject != null) {
            rate.take(subject, events(ctx.getParameters()));
        }
        return ctx.proceed();
    }

    private static int events(Object[] args) {
        for (Object arg : args) {
            if (arg instanceof Collection<?> batch) {
                return Math.max(1, batch.size());
            }
        }
        return 1;
    }
}
