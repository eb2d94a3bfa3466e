package io.herald.embedded;

import org.glassfish.grizzly.threadpool.AbstractThreadPool;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded server's worker pool: a fixed core of Grizzly worker threads on a lock-free queue, plus extra threads
 * started only while workers are stuck, one task holding them longer than {@code stuckAfter} (a blocking read, a
 * stalled call, a lock) while other tasks wait. It then keeps {@code core} workers free of stuck tasks, up to the
 * config's maximum in all; an extra thread ends after the config's keep-alive without work.
 * <p>
 * Grizzly's own growing pool starts a thread whenever none is idle: on a busy core (a ramp of connects) it grows to
 * its maximum with threads that are not blocked, only waiting for the CPU, and every task takes its one lock. Busy
 * workers finish their tasks within milliseconds, so this pool does not grow for them. Measured in
 * docs/performance.md ("A worker pool that grows for blocked workers only").
 */
final class CompensatingWorkerPool extends AbstractThreadPool {

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Set<PoolWorker> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong extrasStarted = new AtomicLong();
    private final AtomicInteger busy = new AtomicInteger();
    private final Thread watchdog;
    private volatile boolean watchdogParked;
    private final int core;
    private final int max;
    private final long stuckNanos;
    private final long keepAliveNanos;

    /**
     * Starts the config's core pool size of workers and a watchdog that, while workers are busy,
     * looks every fifth of {@code stuckAfterMillis} for stuck ones.
     * The config's thread factory, if it has none, makes Grizzly's worker threads with the config's memory manager's
     * thread-local buffers, as Grizzly's own pools do.
     */
    CompensatingWorkerPool(ThreadPoolConfig config, long stuckAfterMillis) {
        super(config);
        validateNewPoolSize(config.getCorePoolSize(), config.getMaxPoolSize());
        if (stuckAfterMillis < 1) {
            throw new IllegalArgumentException("stuckAfterMillis < 1: " + stuckAfterMillis);
        }
        config.setQueue(queue);
        this.core = config.getCorePoolSize();
        this.max = config.getMaxPoolSize();
        this.stuckNanos = TimeUnit.MILLISECONDS.toNanos(stuckAfterMillis);
        this.keepAliveNanos = Math.max(0, config.getKeepAliveTime(TimeUnit.NANOSECONDS));
        synchronized (stateLock) {
            for (int n = 0; n < core; n++) {
                startWorker(new PoolWorker(true));
            }
        }
        watchdog = new Thread(this::watch, config.getPoolName() + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new IllegalArgumentException("Runnable task is null");
        }
        if (!running) {
            throw new RejectedExecutionException("ThreadPool is not running");
        }
        queue.offer(task);
        if (!running && queue.remove(task)) {
            throw new RejectedExecutionException("ThreadPool is not running");
        }
        onTaskQueued(task);
        if (watchdogParked && busy.get() >= core) {
            wakeWatchdog();
        }
    }

    private void wakeWatchdog() {
        watchdogParked = false;
        LockSupport.unpark(watchdog);
    }

    @Override
    public void shutdown() {
        super.shutdown();
        LockSupport.unpark(watchdog);
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = super.shutdownNow();
        LockSupport.unpark(watchdog);
        return left;
    }

    /** Extra threads started so far because workers were stuck (never for busy ones). */
    long extrasStarted() {
        return extrasStarted.get();
    }

    /**
     * Looks every fifth of the stuck time while workers are busy; sleeps while none is, until tasks wait behind busy
     * workers: a task queued with every core worker busy, or a worker taking a task with more queued behind it. An
     * idle server has no thread waking, and a lightly loaded one no wake-up per task.
     */
    private void watch() {
        long tick = Math.max(1, stuckNanos / 5);
        while (running) {
            if (busy.get() == 0 && queue.isEmpty()) {
                watchdogParked = true;
                if (busy.get() == 0 && queue.isEmpty() && running) {
                    LockSupport.park(this);
                }
                watchdogParked = false;
                continue;
            }
            LockSupport.parkNanos(this, tick);
            if (!queue.isEmpty()) {
                compensate(System.nanoTime());
            }
        }
    }

    /** Starts enough extra workers that {@code core} of them are not stuck, within the maximum. */
    private void compensate(long now) {
        int size = 0;
        int stuck = 0;
        for (PoolWorker worker : live) {
            size++;
            long started = worker.taskStarted;
            if (started != 0 && now - started > stuckNanos) {
                stuck++;
            }
        }
        int wanted = Math.min(core - (size - stuck), max - size);
        synchronized (stateLock) {
            for (int n = 0; n < wanted && running; n++) {
                startWorker(new PoolWorker(false));
                extrasStarted.incrementAndGet();
            }
        }
    }

    @Override
    protected void startWorker(Worker worker) {
        // counted before its thread runs, so the next look sees it even if it has not started yet
        live.add((PoolWorker) worker);
        super.startWorker(worker);
    }

    @Override
    protected void onWorkerExit(Worker worker) {
        live.remove(worker);
        super.onWorkerExit(worker);
    }

    @Override
    protected void beforeExecute(Worker worker, Thread thread, Runnable task) {
        super.beforeExecute(worker, thread, task);
        ((PoolWorker) worker).taskStarted = System.nanoTime() | 1; // never 0, which means idle
        busy.incrementAndGet();
        // a burst queued before any worker was busy: the worker that takes its first task wakes the watchdog
        if (watchdogParked && !queue.isEmpty()) {
            wakeWatchdog();
        }
    }

    @Override
    protected void afterExecute(Worker worker, Thread thread, Runnable task, Throwable error) {
        ((PoolWorker) worker).taskStarted = 0;
        busy.decrementAndGet();
        super.afterExecute(worker, thread, task, error);
    }

    private final class PoolWorker extends Worker {

        private final boolean permanent;
        private volatile long taskStarted;

        private PoolWorker(boolean permanent) {
            this.permanent = permanent;
        }

        @Override
        protected Runnable getTask() throws InterruptedException {
            return permanent ? queue.take() : queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
        }
    }
}
