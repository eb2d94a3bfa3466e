package io.herald.bench;

import java.nio.charset.StandardCharsets;

/**
 * Incremental text/event-stream parser following the WHATWG HTML "server-sent events" interpretation rules:
 * lines end in CRLF, LF or CR (a CR at the end of one read followed by LF in the next is one line end),
 * a leading UTF-8 BOM is skipped, lines starting with ':' are comments, fields id/event/data/retry,
 * a single space after the colon is dropped, ids containing NUL are ignored, retry must be all ASCII digits,
 * an empty line dispatches (nothing is dispatched when the data buffer is empty), the last event id is sticky.
 */
public final class SseParser {
    /** Receives parsed events. */
    public interface Listener {
        /** @param type event type ("message" when absent); @param id the current last-event-id (may be null) */
        void onEvent(String type, String id, byte[] data, int dataLen);
        default void onComment(byte[] line, int off, int len) {}
        default void onRetry(long ms) {}
    }

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLen;
    private byte[] data = new byte[256];
    private int dataLen;
    private boolean dataSeen;
    private String eventType;
    private String lastEventId;
    private boolean skipLf;
    private int bomState; // 0 = at stream start, 1..2 = matched BOM bytes, 3 = done
    private long comments;

    public SseParser(Listener listener) { this.listener = listener; }

    public String lastEventId() { return lastEventId; }
    public long comments() { return comments; }

    /** Resets the per-connection state but keeps last-event-id (as EventSource does on reconnect). */
    public void resetForNewStream() {
        lineLen = 0; dataLen = 0; dataSeen = false; eventType = null; skipLf = false; bomState = 0;
    }

    public void feed(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (bomState < 3 && i < end) {
            byte expect = bomState == 0 ? (byte) 0xEF : bomState == 1 ? (byte) 0xBB : (byte) 0xBF;
            if (b[i] == expect) { bomState++; i++; if (bomState == 3) break; }
            else {
                // partial BOM prefix was not a BOM: replay the consumed bytes as content
                int consumed = bomState;
                bomState = 3;
                if (consumed > 0) {
                    byte[] pre = consumed == 1 ? new byte[]{(byte) 0xEF} : new byte[]{(byte) 0xEF, (byte) 0xBB};
                    feed(pre, 0, pre.length);
                }
            }
        }
        int start = i;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                if (c == '\n' && skipLf) { skipLf = false; start = i + 1; continue; }
                append(b, start, i - start);
                processLine();
                lineLen = 0;
                skipLf = c == '\r';
                start = i + 1;
            } else {
                skipLf = false;
            }
        }
        if (start < end) append(b, start, end - start);
    }

    private void append(byte[] b, int off, int len) {
        if (len <= 0) return;
        if (lineLen + len > line.length) {
            byte[] n = new byte[Math.max(line.length * 2, lineLen + len)];
            System.arraycopy(line, 0, n, 0, lineLen);
            line = n;
        }
        System.arraycopy(b, off, line, lineLen, len);
        lineLen += len;
    }

    private void processLine() {
        if (lineLen == 0) { dispatch(); return; }
        if (line[0] == ':') { comments++; listener.onComment(line, 1, lineLen - 1); return; }
        int colon = -1;
        for (int k = 0; k < lineLen; k++) if (line[k] == ':') { colon = k; break; }
        int nameLen = colon < 0 ? lineLen : colon;
        int vOff = colon < 0 ? lineLen : colon + 1;
        if (colon >= 0 && vOff < lineLen && line[vOff] == ' ') vOff++;
        int vLen = lineLen - vOff;
        if (is("data", nameLen)) {
            if (dataLen + vLen + 1 > data.length) {
                byte[] n = new byte[Math.max(data.length * 2, dataLen + vLen + 1)];
                System.arraycopy(data, 0, n, 0, dataLen);
                data = n;
            }
            System.arraycopy(line, vOff, data, dataLen, vLen);
            dataLen += vLen;
            data[dataLen++] = '\n';
            dataSeen = true;
        } else if (is("event", nameLen)) {
            eventType = new String(line, vOff, vLen, StandardCharsets.UTF_8);
        } else if (is("id", nameLen)) {
            boolean nul = false;
            for (int k = vOff; k < lineLen; k++) if (line[k] == 0) { nul = true; break; }
            if (!nul) lastEventId = new String(line, vOff, vLen, StandardCharsets.UTF_8);
        } else if (is("retry", nameLen)) {
            if (vLen == 0) return;
            long v = 0;
            for (int k = vOff; k < lineLen; k++) {
                byte c = line[k];
                if (c < '0' || c > '9') return;
                v = v * 10 + (c - '0');
            }
            listener.onRetry(v);
        }
        // other field names are ignored
    }

    private boolean is(String name, int nameLen) {
        if (nameLen != name.length()) return false;
        for (int k = 0; k < nameLen; k++) if (line[k] != name.charAt(k)) return false;
        return true;
    }

    private void dispatch() {
        if (!dataSeen) { dataLen = 0; eventType = null; return; }
        int len = dataLen;
        if (len > 0 && data[len - 1] == '\n') len--;
        String type = eventType == null || eventType.isEmpty() ? "message" : eventType;
        listener.onEvent(type, lastEventId, data, len);
        dataLen = 0; dataSeen = false; eventType = null;
    }
}
