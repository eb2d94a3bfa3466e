package io.herald.embedded;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;

/**
 * Runs each request with the launcher's context class loader: Grizzly would give the webapp a class loader of its
 * own, for which MicroProfile Config knows no configuration.
 */
final class ContextClassLoaderFilter implements Filter {

    private final ClassLoader loader;

    ContextClassLoaderFilter(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            chain.doFilter(request, response);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
