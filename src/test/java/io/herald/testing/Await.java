package io.herald.testing;

import java.time.Duration;

/** Polls a condition until it holds or the time is up; callers assert the result. */
public final class Await {

    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    public static boolean until(Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(20);
        }
        return check.ok();
    }
}
