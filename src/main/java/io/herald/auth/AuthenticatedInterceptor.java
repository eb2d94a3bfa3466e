package io.herald.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Enforces {@link Authenticated}: the call goes on only with a valid token. */
@Authenticated
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
public class AuthenticatedInterceptor {

    @Inject
    Caller caller;
    @Inject
    Authorization authorization;

    @AroundInvoke
    Object requireToken(InvocationContext ctx) throws Exception {
        var token = CallChannels.request(ctx).map(caller::token).orElseGet(caller::token);
        authorization.requireToken(token, "This call needs a token");
        return ctx.proceed();
    }
}
