package io.herald.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A load generator worker: {@code java ... io.herald.bench.Worker PROC BENCH-OPTIONS}. It holds process PROC's share of
 * a run's subscribers for the coordinator (Bench with --procs N), which started it and talks to it over stdin and
 * stdout (protocol: {@link RemoteSubscribers}). It exits when its stdin closes, i.e. when the coordinator is done or
 * gone, so no worker outlives its run.
 */
public final class Worker {
    private Worker() {}

    /** Workers do not publish and write no result file; the secret stays off their command lines. */
    private static final Set<String> NOT_PASSED = Set.of("jwtSecret", "out");

    public static void main(String[] args) throws Exception {
        PrintStream replies = System.out;
        System.setOut(System.err); // stdout carries the protocol and nothing else
        int proc = Integer.parseInt(args[0]);
        Bench.Config c = Bench.parse(Arrays.copyOfRange(args, 1, args.length));
        try (LoadGen lg = new LoadGen(Bench.target(c), Math.max(1, c.channels), Bench.options(c));
             Subscribers subs = new LocalSubscribers(lg, c.procs, proc)) {
            replies.println("ok "); // answers the implicit first request: started
            replies.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String reply;
                try {
                    reply = "ok " + answer(subs, line);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    reply = "error " + e.toString().replace('\n', ' ');
                }
                replies.println(reply);
                replies.flush();
            }
        }
    }

    static String answer(Subscribers subs, String line) {
        String[] w = line.split(" ");
        switch (w[0]) {
            case "add": subs.addClients(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3])); return "";
            case "tally": return subs.tally(Wire.longs(w[1])).line();
            case "histogram": return Wire.histogram(subs.histogram(Subscribers.Hist.valueOf(w[1])));
            case "reset": subs.reset(Arrays.stream(w, 1, w.length).map(Subscribers.Hist::valueOf).toArray(Subscribers.Hist[]::new)); return "";
            case "drop": subs.dropAll(); return "";
            case "reconnect": subs.reconnectAll(Integer.parseInt(w[1])); return "";
            case "stall": return Wire.longs(subs.stall());
            default: throw new IllegalArgumentException("unknown request: " + line);
        }
    }

    /** Worker proc's command line: this JVM's java binary and class path, --worker-jvm options, the run's options. */
    static List<String> command(Bench.Config c, int proc) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String o : c.workerJvm.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Worker.class.getName());
        cmd.add(Integer.toString(proc));
        try {
            for (Field f : Bench.Config.class.getFields()) {
                Object v = f.get(c);
                if (v != null && !NOT_PASSED.contains(f.getName())) cmd.add("--" + f.getName() + "=" + v);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // public fields of a public class
        }
        return cmd;
    }
}
