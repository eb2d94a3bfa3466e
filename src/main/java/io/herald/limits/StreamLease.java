package io.herald.limits;

import java.util.concurrent.atomic.AtomicBoolean;

/** One open stream counted against its subject's and address's limits; released once, when the response ends. */
public final class StreamLease {

    /** The request attribute under which admission leaves the lease for the request filter to release. */
    public static final String ATTRIBUTE = StreamLease.class.getName();

    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable release;

    StreamLease(Runnable release) {
        this.release = release;
    }

    public void release() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
