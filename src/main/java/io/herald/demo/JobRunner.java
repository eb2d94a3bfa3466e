package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.delivery.HeraldExecutors;
import io.herald.publish.HeraldMessage;
import io.herald.publish.Publisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the job page's simulated jobs: each step is a task on Herald's one scheduler (no thread per job), and
 * publishes {@code progress} and {@code log} on {@code jobs.<id>}; {@code done} is always the job's last event.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());
    static final int MAX_RUNNING = 200;

    @Inject
    HeraldExecutors executors;
    @Inject
    Publisher publisher;

    private final Map<String, Job> running = new ConcurrentHashMap<>();

    /** Starts a job; false when one with that id is still running. */
    public boolean start(String jobId, int steps, int stepMs, boolean fail) {
        if (running.size() >= MAX_RUNNING) {
            throw io.herald.api.ApiException.unavailable("Too many demo jobs are running", 5);
        }
        Job job = new Job(jobId, steps, stepMs, fail);
        if (running.putIfAbsent(jobId, job) != null) {
            return false;
        }
        job.next(0);
        return true;
    }

    /** Cancels a running job, which then publishes {@code done} with status cancelled; false when none runs. */
    public boolean cancel(String jobId) {
        Job job = running.get(jobId);
        return job != null && job.finish("cancelled", null);
    }

    @PreDestroy
    void stopAll() {
        running.values().forEach(j -> j.finish("cancelled", "server stopping"));
    }

    private final class Job {
        private final String id;
        private final String channel;
        private final int steps;
        private final int stepMs;
        private final boolean fail;
        private final long startedAt = System.currentTimeMillis();
        private int step;
        private boolean finished;
        private ScheduledFuture<?> pending;

        Job(String id, int steps, int stepMs, boolean fail) {
            this.id = id;
            this.channel = "jobs." + id;
            this.steps = steps;
            this.stepMs = stepMs;
            this.fail = fail;
        }

        synchronized void next(long delayMs) {
            if (!finished) {
                // the scheduler only times the step; publishing (a Redis round trip, perhaps) runs on a worker
                pending = executors.scheduler().schedule(() -> executors.worker().execute(this::runStep),
                        delayMs, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void runStep() {
            if (finished) {
                return;
            }
            try {
                if (step == 0) {
                    log("info", "started: " + steps + " steps of " + stepMs + " ms");
                }
                step++;
                if (fail && step > steps / 2) {
                    log("error", "step " + step + " failed: simulated failure");
                    finish("failed", "simulated failure at step " + step);
                    return;
                }
                int percent = (int) Math.round(100.0 * step / steps);
                publish("progress", Jsons.JSON.createObjectBuilder().add("jobId", id).add("percent", percent)
                        .add("step", step).add("total", steps).add("message", "processing chunk " + step).build());
                if (step % 5 == 0 || step == steps) {
                    log("info", "step " + step + " of " + steps + " done");
                }
                if (step == steps) {
                    finish("succeeded", null);
                } else {
                    next(stepMs);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "demo job " + id + " stopped", e);
                synchronized (this) {
                    finished = true;
                }
                running.remove(id, this);
            }
        }

        synchronized boolean finish(String status, String error) {
            if (finished) {
                return false;
            }
            finished = true;
            if (pending != null) {
                pending.cancel(false);
            }
            running.remove(id, this);
            var done = Jsons.JSON.createObjectBuilder().add("jobId", id).add("status", status)
                    .add("durationMs", System.currentTimeMillis() - startedAt);
            if ("succeeded".equals(status)) {
                done.add("result", Jsons.JSON.createObjectBuilder().add("steps", steps).add("chunks", step));
            }
            if (error != null) {
                done.add("error", error);
            }
            try {
                publish("done", done.build());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "demo job " + id + ": done not published", e);
            }
            return true;
        }

        private void log(String level, String message) {
            publish("log", Jsons.JSON.createObjectBuilder().add("jobId", id).add("level", level).add("message", message)
                    .add("time", System.currentTimeMillis()).build());
        }

        private void publish(String type, JsonObject data) {
            publisher.publish(HeraldMessage.of(channel, type, data));
        }
    }
}
