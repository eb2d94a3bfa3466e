package io.herald.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Enforces {@link RequiresPermission} on the channels of the call. */
@RequiresPermission(Right.ADMIN) // the value is @Nonbinding: this interceptor serves every right
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 110)
public class PermissionInterceptor {

    /** Per intercepted method, the right it requires: its annotation is read once, not on every call. */
    private static final Map<Method, Right> REQUIRED = new ConcurrentHashMap<>();

    @Inject
    Caller caller;
    @Inject
    Authorization authorization;

    @AroundInvoke
    Object check(InvocationContext ctx) throws Exception {
        var token = CallChannels.request(ctx).map(caller::token).orElseGet(caller::token);
        switch (REQUIRED.computeIfAbsent(ctx.getMethod(), PermissionInterceptor::required)) {
            case SUBSCRIBE -> authorization.requireSubscribe(token, CallChannels.of(ctx));
            case PUBLISH -> authorization.requirePublish(token, CallChannels.of(ctx));
            case ADMIN -> authorization.requirePermission(token, AccessToken.ADMIN);
        }
        return ctx.proceed();
    }

    private static Right required(Method method) {
        RequiresPermission on = method.getAnnotation(RequiresPermission.class);
        if (on == null) {
            on = method.getDeclaringClass().getAnnotation(RequiresPermission.class);
        }
        if (on == null) {
            throw new IllegalStateException("@RequiresPermission not found on " + method);
        }
        return on.value();
    }
}
