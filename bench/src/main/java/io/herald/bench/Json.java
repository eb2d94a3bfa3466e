package io.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal JSON writer/reader for result files (maps, lists, numbers, strings, booleans, null). */
public final class Json {
    private Json() {}

    public static String write(Object o) { StringBuilder sb = new StringBuilder(); write(sb, o, 0); return sb.append('\n').toString(); }

    private static void write(StringBuilder sb, Object o, int ind) {
        if (o == null) sb.append("null");
        else if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (m.isEmpty()) { sb.append("{}"); return; }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(sb, ind + 1); str(sb, String.valueOf(e.getKey())); sb.append(": ");
                write(sb, e.getValue(), ind + 1);
                if (++i < m.size()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, ind); sb.append('}');
        } else if (o instanceof List) {
            List<?> l = (List<?>) o;
            boolean simple = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (!simple) { sb.append('\n'); pad(sb, ind + 1); }
                write(sb, l.get(i), ind + 1);
                if (i + 1 < l.size()) sb.append(simple ? ", " : ",");
            }
            if (!simple && !l.isEmpty()) { sb.append('\n'); pad(sb, ind); }
            sb.append(']');
        } else if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) sb.append("null");
            else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d);
            else if (Math.abs(d) >= 1000) sb.append(Math.round(d));
            else sb.append(new java.math.BigDecimal(d).round(new java.math.MathContext(5)).stripTrailingZeros().toPlainString());
        } else if (o instanceof Number || o instanceof Boolean) sb.append(o);
        else str(sb, o.toString());
    }

    private static void pad(StringBuilder sb, int n) { for (int i = 0; i < n; i++) sb.append("  "); }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default: if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c);
            }
        }
        sb.append('"');
    }

    public static Object parse(String s) { int[] pos = {0}; Object o = value(s, pos); return o; }

    private static void ws(String s, int[] p) { while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) p[0]++; }

    private static Object value(String s, int[] p) {
        ws(s, p);
        char c = s.charAt(p[0]);
        if (c == '{') {
            Map<String, Object> m = new LinkedHashMap<>();
            p[0]++; ws(s, p);
            if (s.charAt(p[0]) == '}') { p[0]++; return m; }
            while (true) {
                ws(s, p);
                String k = (String) value(s, p);
                ws(s, p); p[0]++; // ':'
                m.put(k, value(s, p));
                ws(s, p);
                if (s.charAt(p[0]++) == '}') return m;
            }
        }
        if (c == '[') {
            List<Object> l = new ArrayList<>();
            p[0]++; ws(s, p);
            if (s.charAt(p[0]) == ']') { p[0]++; return l; }
            while (true) {
                l.add(value(s, p));
                ws(s, p);
                if (s.charAt(p[0]++) == ']') return l;
            }
        }
        if (c == '"') {
            StringBuilder sb = new StringBuilder();
            p[0]++;
            while (true) {
                char x = s.charAt(p[0]++);
                if (x == '"') return sb.toString();
                if (x == '\\') {
                    char e = s.charAt(p[0]++);
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 'r': sb.append('\r'); break;
                        case 't': sb.append('\t'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u': sb.append((char) Integer.parseInt(s.substring(p[0], p[0] + 4), 16)); p[0] += 4; break;
                        default: sb.append(e);
                    }
                } else sb.append(x);
            }
        }
        if (s.startsWith("true", p[0])) { p[0] += 4; return Boolean.TRUE; }
        if (s.startsWith("false", p[0])) { p[0] += 5; return Boolean.FALSE; }
        if (s.startsWith("null", p[0])) { p[0] += 4; return null; }
        int st = p[0];
        while (p[0] < s.length() && "+-0123456789.eE".indexOf(s.charAt(p[0])) >= 0) p[0]++;
        return Double.parseDouble(s.substring(st, p[0]));
    }
}
