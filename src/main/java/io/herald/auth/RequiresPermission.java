package io.herald.auth;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Refuses the call unless the caller's token grants the right on every channel the call names (path and query
 * parameters, stream and poll requests, event drafts and batches): 401 without a usable token, 403 naming the
 * channel refused. Works on JAX-RS resource methods and on any CDI bean method.
 */
@Inherited
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresPermission {
    @Nonbinding
    Right value();
}
