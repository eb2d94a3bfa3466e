package io.herald.bench;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker JVM's share of the subscribers ({@link Worker}), driven over its stdin and stdout. Each request is one
 * line, "verb args...": add TOTAL PER_CLIENT STALL_EVERY | tally ACKED,ACKED,... | histogram HIST | reset HIST... |
 * drop | reconnect MAX_PENDING | stall. Each answer is one line, "ok PAYLOAD" or "error MESSAGE"; the worker's first
 * line is "ok " once its LoadGen runs. A worker that exits, answers an error or stays silent past the timeout fails
 * the request, and every later one, so the run stops with the reason instead of hanging. Its stderr goes to ours,
 * each line prefixed with [worker K].
 */
final class RemoteSubscribers implements Subscribers {
    private static final long START_TIMEOUT_S = 60, REPLY_TIMEOUT_S = 90;
    private static final String GONE = "\0gone"; // queued when the worker's stdout ends; never a line it writes

    private final int proc;
    private final Process process;
    private final Writer requests;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private String failure;
    private volatile boolean closing;

    private RemoteSubscribers(int proc, Process process) {
        this.proc = proc;
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump("stdout", process.getInputStream(), replies::add);
        pump("stderr", process.getErrorStream(), l -> System.err.println("[worker " + proc + "] " + l));
    }

    /** Starts worker proc; {@link #awaitStarted} then waits for it, so several can start at once. */
    static RemoteSubscribers launch(Bench.Config c, int proc) throws IOException {
        return new RemoteSubscribers(proc, new ProcessBuilder(Worker.command(c, proc)).start());
    }

    void awaitStarted() { reply("start", START_TIMEOUT_S); }

    private void pump(String name, InputStream s, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) sink.accept(line);
            } catch (IOException e) {
                System.err.println("[worker " + proc + "] reading its " + name + ": " + e);
            }
            if (!name.equals("stdout")) return;
            replies.add(GONE);
            // the coordinator may be in a long sleep (a measurement window) before its next request fails
            if (!closing) System.err.println("[worker " + proc + "] ended unexpectedly; the run fails at its next request");
        }, "worker-" + proc + "-" + name);
        t.setDaemon(true);
        t.start();
    }

    private synchronized String request(String line) {
        if (failure != null) throw new IllegalStateException(failure);
        String verb = line.split(" ", 2)[0];
        try {
            requests.write(line);
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            throw fail("could not send '" + verb + "' (" + e.getMessage() + "), " + exitStatus());
        }
        return reply(verb, REPLY_TIMEOUT_S);
    }

    private String reply(String what, long timeoutS) {
        String r;
        try {
            r = replies.poll(timeoutS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for '" + what + "'");
        }
        if (r == null) throw fail("did not answer '" + what + "' within " + timeoutS + " s");
        if (r == GONE) throw fail("ended before answering '" + what + "', " + exitStatus());
        if (r.startsWith("ok ")) return r.substring(3);
        throw fail(r.startsWith("error ") ? "failed '" + what + "': " + r.substring(6) : "answered '" + what + "' with: " + r);
    }

    private String exitStatus() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "exit code unknown";
        }
    }

    private IllegalStateException fail(String why) {
        failure = "load generator worker " + proc + " (pid " + process.pid() + "): " + why
                + "; its stderr is above, lines prefixed [worker " + proc + "]";
        return new IllegalStateException(failure);
    }

    @Override public void addClients(int total, int perClient, int stallEvery) {
        request("add " + total + " " + perClient + " " + stallEvery);
    }

    @Override public Tally tally(long[] acked) { return Tally.parse(request("tally " + Wire.longs(acked))); }

    @Override public Histogram histogram(Hist which) { return Wire.histogram(request("histogram " + which)); }

    @Override public void reset(Hist... which) {
        StringBuilder sb = new StringBuilder("reset");
        for (Hist h : which) sb.append(' ').append(h);
        request(sb.toString());
    }

    @Override public void dropAll() { request("drop"); }

    @Override public void reconnectAll(int maxPendingConnects) { request("reconnect " + maxPendingConnects); }

    @Override public List<Long> stall() {
        List<Long> keys = new ArrayList<>();
        for (long k : Wire.longs(request("stall"))) keys.add(k);
        return keys;
    }

    @Override public List<Long> pids() { return List.of(process.pid()); }

    /** Closing its stdin is the worker's signal to close its streams and exit; one that does not is killed. */
    @Override public void close() {
        closing = true;
        try {
            requests.close();
        } catch (IOException e) {
            // the worker is gone already (broken pipe): nothing left to tell it
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                System.err.println("[worker " + proc + "] still running 10 s after its stdin closed; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
