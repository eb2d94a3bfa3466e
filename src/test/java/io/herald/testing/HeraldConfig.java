package io.herald.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configuration for the server a test class runs against: {@code "herald.key=value"} pairs, applied over the test
 * defaults of {@link EmbeddedHerald} (or over the product's own defaults with {@code secureDefaults = true}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HeraldConfig {
    String[] value() default {};

    /** True: start from Herald's shipped defaults (no key, no public channel, limits on) instead of the test ones. */
    boolean secureDefaults() default false;
}
