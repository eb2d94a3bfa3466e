package io.herald.embedded;

import io.herald.http.CorsFilter;
import io.herald.http.RequestBodyFilter;
import io.herald.http.RequestContextFilter;
import io.herald.drain.InFlightFilter;
import io.herald.metrics.AuthFailureFilter;
import io.herald.publish.PublishFilter;
import io.herald.stream.EventStreamFilter;
import jakarta.servlet.Filter;

import java.util.List;

/**
 * The servlet filters the WAR registers through {@code @WebFilter}; the embedded server registers the same, in
 * this order (the WAR's {@code WEB-INF/web.xml} fixes the same order, which annotations alone leave open).
 */
final class HeraldFilters {

    static final List<Class<? extends Filter>> ALL = List.of(CorsFilter.class, RequestContextFilter.class,
            InFlightFilter.class, AuthFailureFilter.class,
            EventStreamFilter.class, PublishFilter.class, RequestBodyFilter.class);

    private HeraldFilters() {
    }
}
