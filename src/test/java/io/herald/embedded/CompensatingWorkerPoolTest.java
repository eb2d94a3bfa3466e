package io.herald.embedded;

import org.glassfish.grizzly.threadpool.DefaultWorkerThread;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded worker pool starts extra threads for workers stuck in a task while others wait, keeps its core for
 * busy ones, never passes its maximum, lets idle extras go and stops whole.
 */
class CompensatingWorkerPoolTest {

    private final List<CountDownLatch> gates = new ArrayList<>();
    private final AtomicInteger finished = new AtomicInteger();
    private CompensatingWorkerPool pool;

    private CompensatingWorkerPool pool(int core, int max, long keepAliveMillis, long stuckAfterMillis) {
        ThreadPoolConfig config = ThreadPoolConfig.defaultConfig().setPoolName("test-workers")
                .setCorePoolSize(core).setMaxPoolSize(max).setKeepAliveTime(keepAliveMillis, TimeUnit.MILLISECONDS);
        pool = new CompensatingWorkerPool(config, stuckAfterMillis);
        return pool;
    }

    /** Runs {@code count} tasks that each hold a worker until the gates open (10 s at most), once all have started. */
    private void holdWorkers(CompensatingWorkerPool pool, int count, String why) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        for (int n = 0; n < count; n++) {
            CountDownLatch gate = new CountDownLatch(1);
            gates.add(gate);
            pool.execute(() -> {
                started.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.incrementAndGet();
            });
        }
        assertTrue(started.await(5, TimeUnit.SECONDS), why + ": " + started.getCount() + " of " + count + " never ran");
    }

    private void openGates() {
        gates.forEach(CountDownLatch::countDown);
    }

    @AfterEach
    void stop() {
        openGates();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void workersStuckInATaskGetStandInsSoWaitingTasksRun() throws Exception {
        CompensatingWorkerPool pool = pool(2, 8, 30_000, 50);
        holdWorkers(pool, 4, "four blocking tasks behind two core workers");
        assertEquals(2, pool.extrasStarted(), "one stand-in per stuck core worker, no more while nothing waits");
        assertEquals(4, pool.getSize());

        CountDownLatch quick = new CountDownLatch(3);
        for (int n = 0; n < 3; n++) {
            pool.execute(quick::countDown);
        }
        assertTrue(quick.await(5, TimeUnit.SECONDS), "tasks behind four stuck workers ran");
        assertEquals(0, finished.get(), "the stuck tasks were still stuck");
        long extras = pool.extrasStarted();
        assertTrue(extras >= 3 && extras <= 4, "one or two more stand-ins, never more than are stuck: " + extras);

        openGates();
        waitFor(() -> finished.get() == 4, "the stuck tasks finished");
    }

    @Test
    void busyWorkersAreNotStuckAndGetNoExtraThreads() throws Exception {
        // Grizzly's own growing pool starts a thread for every task that finds no idle worker: here, hundreds
        CompensatingWorkerPool pool = pool(2, 64, 30_000, 1_000);
        int tasks = 5_000;
        CountDownLatch done = new CountDownLatch(tasks);
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        for (int n = 0; n < tasks; n++) {
            pool.execute(() -> {
                long until = System.nanoTime() + 20_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                ranOn.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "all tasks ran");
        assertEquals(0, pool.extrasStarted());
        assertEquals(2, pool.getSize());
        assertEquals(2, ranOn.size(), "every task ran on one of the two core workers: " + ranOn);
        assertTrue(ranOn.stream().allMatch(t -> t instanceof DefaultWorkerThread),
                "Grizzly's worker threads, with their thread-local buffers");
    }

    @Test
    void theMaximumHoldsAndTasksPastItWaitForAWorker() throws Exception {
        CompensatingWorkerPool pool = pool(1, 3, 30_000, 30);
        holdWorkers(pool, 3, "three blocking tasks on three threads");
        CountDownLatch late = oneTask(pool);
        assertFalse(late.await(500, TimeUnit.MILLISECONDS), "no fourth thread past the maximum of three");
        assertEquals(3, pool.getSize());

        openGates();
        assertTrue(late.await(5, TimeUnit.SECONDS), "the waiting task ran once a worker was free");
        waitFor(() -> finished.get() == 3, "the blocking tasks finished");
    }

    @Test
    void idleExtrasEndAndTheCoreStays() throws Exception {
        CompensatingWorkerPool pool = pool(1, 4, 200, 30);
        holdWorkers(pool, 1, "blocking tasks on the core workers");
        assertTrue(oneTask(pool).await(5, TimeUnit.SECONDS), "a stand-in ran the waiting task");
        assertEquals(2, pool.getSize());

        openGates();
        waitFor(() -> finished.get() == 1 && pool.getSize() == 1, "the extra thread ended after its keep-alive");
        assertTrue(oneTask(pool).await(5, TimeUnit.SECONDS), "the core worker still serves");
    }

    @Test
    void anIdlePoolHasNoThreadWakingOnATimer() throws Exception {
        CompensatingWorkerPool pool = pool(2, 8, 30_000, 50);
        CountDownLatch quick = new CountDownLatch(100);
        for (int n = 0; n < 100; n++) {
            pool.execute(quick::countDown);
        }
        assertTrue(quick.await(5, TimeUnit.SECONDS));
        Thread watchdog = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("test-workers-watchdog")).findFirst().orElseThrow();
        waitFor(() -> watchdog.getState() == Thread.State.WAITING,
                "the watchdog parks without a timeout once no worker is busy: " + watchdog.getState());

        // and wakes when tasks queue behind busy workers: stand-ins for two stuck ones
        holdWorkers(pool, 2, "blocking tasks on the core workers");
        assertTrue(oneTask(pool).await(5, TimeUnit.SECONDS), "the task behind two stuck workers ran");
        long extras = pool.extrasStarted();
        assertTrue(extras >= 1 && extras <= 2, "at most one stand-in per stuck worker: " + extras);
    }

    @Test
    void shutdownNowEndsEveryWorkerAndRefusesNewTasks() throws Exception {
        CompensatingWorkerPool pool = pool(2, 8, 30_000, 30);
        holdWorkers(pool, 2, "blocking tasks on the core workers");
        assertTrue(oneTask(pool).await(5, TimeUnit.SECONDS));

        pool.shutdownNow(); // interrupts the blocked tasks
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS), "all workers ended: " + pool.getSize());
        assertEquals(2, finished.get(), "the interrupted tasks returned");
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    /** Runs a task that counts the returned latch down. */
    private static CountDownLatch oneTask(CompensatingWorkerPool pool) {
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        return ran;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what);
            Thread.sleep(10);
        }
    }
}
