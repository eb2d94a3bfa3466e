package io.herald.delivery;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The threads Herald uses: the server's managed executors and thread factory where it has them (Payara, WildFly),
 * otherwise small pools of its own (embedded). Created once, never per request.
 */
@ApplicationScoped
public class HeraldExecutors {

    private static final Logger LOG = Logger.getLogger(HeraldExecutors.class.getName());

    private ScheduledExecutorService scheduler;
    private ExecutorService worker;
    private ThreadFactory threadFactory;
    private boolean ownScheduler;
    private boolean ownWorker;

    /**
     * Looks everything up at startup, on a container thread: WildFly answers {@code java:comp} lookups only there,
     * not on Herald's own writer threads.
     */
    @PostConstruct
    void resolve() {
        scheduler();
        worker();
        threadFactory();
    }

    /** One scheduler for heartbeats and timers. */
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = lookup("java:comp/DefaultManagedScheduledExecutorService", ScheduledExecutorService.class);
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(namedFactory("herald-scheduler"));
                ownScheduler = true;
            }
        }
        return scheduler;
    }

    /** For short tasks off the dispatch path: completing polls, closing streams, presence. */
    public synchronized ExecutorService worker() {
        if (worker == null) {
            worker = lookup("java:comp/DefaultManagedExecutorService", ExecutorService.class);
            if (worker == null) {
                worker = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                        namedFactory("herald-worker"));
                ownWorker = true;
            }
        }
        return worker;
    }

    /** For Herald's long-running writer threads. */
    public synchronized ThreadFactory threadFactory() {
        if (threadFactory == null) {
            threadFactory = lookup("java:comp/DefaultManagedThreadFactory", ThreadFactory.class);
            if (threadFactory == null) {
                threadFactory = namedFactory("herald-writer");
            }
        }
        return threadFactory;
    }

    private static <T> T lookup(String name, Class<T> type) {
        try {
            Object found = new InitialContext().lookup(name);
            return type.isInstance(found) ? type.cast(found) : null;
        } catch (NamingException | RuntimeException | NoClassDefFoundError e) {
            LOG.fine(() -> name + " not available, using Herald's own threads");
            return null;
        }
    }

    private static ThreadFactory namedFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    synchronized void shutdown() {
        if (ownScheduler && scheduler != null) {
            scheduler.shutdownNow();
        }
        if (ownWorker && worker != null) {
            worker.shutdown();
        }
    }
}
