package io.herald.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * The subscribers' counters at one moment. Tallies of several processes add up field by field, except the connect
 * ramp's ends: the earliest first connect and the latest establishment. A tally crosses the worker pipe as one line
 * of name=value pairs.
 */
final class Tally {
    long established, streaming, resumable, connecting, refused, httpErrors, connectFailures;
    long deliveries, duplicates, foreign, heartbeats, resets, unexpectedCloses, reconnects, protocolErrors;
    long missing, expectedDeliveries;
    long firstConnectNs, lastEstablishedNs; // System.nanoTime(); 0 = not yet

    private static final List<Field> FIELDS = Arrays.stream(Tally.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers())).toList();

    Tally plus(Tally o) {
        Tally r = new Tally();
        for (Field f : FIELDS) set(r, f, get(this, f) + get(o, f));
        r.firstConnectNs = firstConnectNs == 0 ? o.firstConnectNs
                : o.firstConnectNs == 0 ? firstConnectNs : Math.min(firstConnectNs, o.firstConnectNs);
        r.lastEstablishedNs = Math.max(lastEstablishedNs, o.lastEstablishedNs);
        return r;
    }

    String line() {
        StringBuilder sb = new StringBuilder();
        for (Field f : FIELDS) sb.append(sb.length() == 0 ? "" : " ").append(f.getName()).append('=').append(get(this, f));
        return sb.toString();
    }

    static Tally parse(String line) {
        Tally t = new Tally();
        for (String kv : line.trim().split(" ")) {
            int eq = kv.indexOf('=');
            try {
                set(t, Tally.class.getDeclaredField(kv.substring(0, eq)), Long.parseLong(kv.substring(eq + 1)));
            } catch (NoSuchFieldException | RuntimeException e) {
                throw new IllegalArgumentException("bad tally field '" + kv + "' in: " + line, e);
            }
        }
        return t;
    }

    private static long get(Tally t, Field f) {
        try { return f.getLong(t); } catch (IllegalAccessException e) { throw new IllegalStateException(e); }
    }

    private static void set(Tally t, Field f, long v) {
        try { f.setLong(t, v); } catch (IllegalAccessException e) { throw new IllegalStateException(e); }
    }
}
