package io.herald.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * One request's pass through Herald's filters, for the filters that have work after the chain returns. When a filter
 * further in answers asynchronously ({@code PublishFilter} reading a slow body), the request may end on another thread
 * before the chain returns here, and Grizzly recycles its request and response objects at once (the Servlet spec
 * would defer that until the dispatch returns; Payara and WildFly do). So such a filter says so first
 * ({@link #goingAsync()}), and the filters outside then touch neither request nor response after the chain: they keep
 * this object in a local, and what they must do when the request ends goes in {@link #whenAsyncEnds}.
 */
public final class Dispatch {

    private static final String ATTRIBUTE = Dispatch.class.getName();

    private final List<Runnable> whenAsyncEnds = new ArrayList<>(2);
    private volatile boolean async;
    private boolean ended;

    private Dispatch() {
    }

    /** This request's dispatch: read or made before the chain is called, never after. */
    public static Dispatch of(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Dispatch d) {
            return d;
        }
        Dispatch d = new Dispatch();
        request.setAttribute(ATTRIBUTE, d);
        return d;
    }

    /** Runs {@code action} once the request has ended, if it goes asynchronous; registered before the chain. */
    public synchronized void whenAsyncEnds(Runnable action) {
        whenAsyncEnds.add(action);
    }

    /** Whether a filter further in went asynchronous: the request and response are then not this thread's to touch. */
    public boolean isAsync() {
        return async;
    }

    /**
     * Marks the request asynchronous, before {@code startAsync()}; the listener answers for it ending and must be
     * added to its async context before anything can complete it.
     */
    public AsyncListener goingAsync() {
        async = true;
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                ended();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // whoever handles the timeout completes: onComplete follows
            }

            @Override
            public void onError(AsyncEvent event) {
                ended();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        };
    }

    private void ended() {
        List<Runnable> actions;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            actions = List.copyOf(whenAsyncEnds);
        }
        actions.forEach(Runnable::run);
    }
}
