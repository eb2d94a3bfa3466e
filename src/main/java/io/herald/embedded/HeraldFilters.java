package io.herald.embedded;

import io.herald.stream.EventStreamFilter;
import jakarta.servlet.Filter;

import java.util.List;

/** The servlet filters the WAR registers through {@code @WebFilter}; the embedded server registers the same. */
final class HeraldFilters {

    static final List<Class<? extends Filter>> ALL = List.of(EventStreamFilter.class);

    private HeraldFilters() {
    }
}
