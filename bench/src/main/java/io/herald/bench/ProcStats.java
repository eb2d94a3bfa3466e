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

    /**
     * Server-side TCP sockets on the given local port, keyed by (remote IPv4 &lt;&lt; 16 | remote port), value = state
     * (1 ESTABLISHED, 4 FIN_WAIT1, 5 FIN_WAIT2, 7 CLOSE, 8 CLOSE_WAIT ...). Reads /proc/net/tcp and /proc/net/tcp6
     * (IPv4-mapped addresses) of this network namespace.
     */
    public static Map<Long, Integer> serverSockets(int serverPort) {
        Map<Long, Integer> m = new HashMap<>();
        for (String f : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                List<String> lines = Files.readAllLines(Path.of(f));
                for (int i = 1; i < lines.size(); i++) {
                    String[] p = lines.get(i).trim().split("\\s+");
                    if (p.length < 4) continue;
                    String local = p[1], rem = p[2];
                    int lport = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    if (lport != serverPort) continue;
                    String rip = rem.substring(0, rem.indexOf(':'));
                    int rport = Integer.parseInt(rem.substring(rem.indexOf(':') + 1), 16);
                    if (rport == 0) continue; // listener
                    String v4 = rip.substring(rip.length() - 8); // little-endian word (tcp) / last word of mapped v6
                    long le = Long.parseLong(v4, 16);
                    long ip = ((le & 0xff) << 24) | (((le >> 8) & 0xff) << 16) | (((le >> 16) & 0xff) << 8) | ((le >> 24) & 0xff);
                    m.put((ip << 16) | rport, Integer.parseInt(p[3], 16));
                }
            } catch (IOException | RuntimeException ignored) {}
        }
        return m;
    }
}
