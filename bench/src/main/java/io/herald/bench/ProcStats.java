package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Server-side readings from /proc and jcmd. A pid of 0 or less means "not given". */
public final class ProcStats {
    private ProcStats() {}

    static final long CLK_TCK = clkTck();

    private static long clkTck() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(s);
        } catch (Exception e) { return 100; }
    }

    /** The pid and (optionally) its direct and indirect children, e.g. nginx master + workers. */
    static List<Long> family(long pid, boolean children) {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        if (children) {
            for (int i = 0; i < out.size(); i++) {
                long p = out.get(i);
                try (var tasks = Files.list(Path.of("/proc/" + p + "/task"))) {
                    for (Path t : (Iterable<Path>) tasks::iterator) {
                        try {
                            String c = Files.readString(t.resolve("children")).trim();
                            if (!c.isEmpty()) for (String x : c.split("\\s+")) out.add(Long.parseLong(x));
                        } catch (IOException ignored) {}
                    }
                } catch (IOException ignored) {}
            }
        }
        return out;
    }

    /** utime+stime in seconds (summed over the family when children is set); -1 when unreadable. */
    public static double cpuSeconds(long pid, boolean children) {
        if (pid <= 0) return -1;
        long ticks = 0;
        boolean any = false;
        for (long p : family(pid, children)) {
            try {
                String s = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": state=0 ... utime=11, stime=12 (fields 14 and 15 of stat(5))
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                any = true;
            } catch (IOException | RuntimeException ignored) {}
        }
        return any ? ticks / (double) CLK_TCK : -1;
    }

    /** VmRSS in KiB, summed over the family when children is set; -1 when unreadable. */
    public static long rssKb(long pid, boolean children) {
        if (pid <= 0) return -1;
        long kb = 0;
        boolean any = false;
        for (long p : family(pid, children)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                    if (line.startsWith("VmRSS:")) { kb += Long.parseLong(line.replaceAll("[^0-9]", "")); any = true; }
                }
            } catch (IOException | RuntimeException ignored) {}
        }
        return any ? kb : -1;
    }

    public static boolean isJvm(long pid) {
        if (pid <= 0) return false;
        try { return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().contains("java"); }
        catch (IOException e) { return false; }
    }

    /** Runs a full collection in the JVM {@code pid} (jcmd GC.run); false if it is not a JVM or jcmd failed. */
    public static boolean fullGc(long pid) {
        if (!isJvm(pid)) return false;
        try {
            run(jcmd(), Long.toString(pid), "GC.run");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String jcmd() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        return Files.isExecutable(Path.of(jcmd)) ? jcmd : "jcmd";
    }

    /** Forces a full GC with jcmd and returns the used heap in KiB afterwards (-1 when not a JVM / failed). */
    public static long heapAfterFullGcKb(long pid) {
        if (!fullGc(pid)) return -1;
        try {
            String info = run(jcmd(), Long.toString(pid), "GC.heap_info");
            // G1: "garbage-first heap   total 262144K, used 12345K"; Parallel/Serial: sum of "used NNNK" of young+old
            Matcher m = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K").matcher(info);
            if (m.find()) return Long.parseLong(m.group(1));
            // Serial ("def new generation", "tenured generation"), Parallel ("PSYoungGen", "ParOldGen"): sum the spaces
            long sum = 0;
            for (String line : info.split("\n")) {
                if (line.contains("Metaspace") || line.contains("class space")) continue;
                Matcher m2 = Pattern.compile("^\\s*\\S.*?\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K").matcher(line);
                if (m2.find()) sum += Long.parseLong(m2.group(1));
            }
            return sum > 0 ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** TCP states as ss names them, by their numbers in the kernel (and in /proc/net/tcp). */
    private static final Map<String, Integer> TCP_STATES = Map.ofEntries(Map.entry("ESTAB", 1),
            Map.entry("SYN-SENT", 2), Map.entry("SYN-RECV", 3), Map.entry("FIN-WAIT-1", 4), Map.entry("FIN-WAIT-2", 5),
            Map.entry("TIME-WAIT", 6), Map.entry("UNCONN", 7), Map.entry("CLOSE-WAIT", 8), Map.entry("LAST-ACK", 9),
            Map.entry("LISTEN", 10), Map.entry("CLOSING", 11));

    /**
     * Server-side TCP sockets on the given local port, keyed by (remote IPv4 &lt;&lt; 16 | remote port), value = state
     * (1 ESTABLISHED, 4 FIN_WAIT1, 5 FIN_WAIT2, 7 CLOSE, 8 CLOSE_WAIT ...), IPv4-mapped IPv6 addresses as IPv4. Asks
     * {@code ss} (iproute2), which gets them from the kernel's socket diagnostics filtered by port. Reading
     * /proc/net/tcp instead lists every socket of the machine: with the slow scenario's 4,000 connections and the
     * earlier scenarios' TIME_WAITs that took the load generator's core ~40 ms at each look, four looks a second,
     * which showed in the latencies it measured.
     */
    public static Map<Long, Integer> serverSockets(int serverPort) {
        String out;
        try {
            out = run("ss", "-tanH", "state", "all", "sport = :" + serverPort);
        } catch (IOException e) {
            throw new IllegalStateException("ss (Debian package iproute2) is needed to watch the server's sockets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        Map<Long, Integer> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 5 || !TCP_STATES.containsKey(p[0])) continue;
            String peer = p[4];
            int colon = peer.lastIndexOf(':');
            int port = Integer.parseInt(peer.substring(colon + 1).equals("*") ? "0" : peer.substring(colon + 1));
            if (port == 0) continue; // listener
            String address = peer.substring(0, colon).replace("[", "").replace("]", "");
            if (address.startsWith("::ffff:")) address = address.substring(7);
            String[] octets = address.split("\\.");
            if (octets.length != 4) continue; // IPv6 proper: the load generator uses IPv4
            long ip = 0;
            for (String o : octets) ip = (ip << 8) | Integer.parseInt(o);
            m.put((ip << 16) | port, TCP_STATES.get(p[0]));
        }
        return m;
    }
}
