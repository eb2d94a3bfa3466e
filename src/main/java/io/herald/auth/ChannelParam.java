package io.herald.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a {@link RequiresPermission} method that names channels (a {@code String}, comma-separated
 * names, or a collection of them) when it is neither a JAX-RS {@code channel}/{@code channels} parameter nor one of
 * Herald's request types.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ChannelParam {
}
