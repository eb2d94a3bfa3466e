package io.herald.bench;

import java.nio.charset.StandardCharsets;

/** Incremental HTTP/1.1 response decoding: head, then a body framed by chunked, Content-Length or close. */
public final class Http {
    private Http() {}

    /** Body sink. */
    public interface Body { void onBody(byte[] b, int off, int len); }

    public static final class Response {
        public int status = -1;
        public boolean chunked;
        public long contentLength = -1;
        public boolean keepAlive = true;
        public boolean headDone;
        public boolean bodyDone;
        private final StringBuilder head = new StringBuilder();
        private int crlfState;
        private final Chunked chunkedDecoder = new Chunked();
        private long bodyRead;

        public void reset() {
            status = -1; chunked = false; contentLength = -1; keepAlive = true; headDone = false; bodyDone = false;
            head.setLength(0); crlfState = 0; chunkedDecoder.reset(); bodyRead = 0;
        }

        /** Feeds raw bytes. Returns bytes consumed (stops at end of a framed body so keep-alive leftovers are kept). */
        public int feed(byte[] b, int off, int len, Body body) {
            int i = off, end = off + len;
            while (!headDone && i < end) {
                byte c = b[i++];
                head.append((char) (c & 0xff));
                // match \r\n\r\n (also tolerate \n\n)
                if (c == '\r') { if (crlfState == 0 || crlfState == 2) crlfState++; else crlfState = 1; }
                else if (c == '\n') {
                    if (crlfState == 1 || crlfState == 3) crlfState++;
                    else if (crlfState == 0) crlfState = 2; else crlfState = 4;
                } else crlfState = 0;
                if (crlfState == 4) parseHead();
            }
            if (!headDone || bodyDone) return i - off;
            if (chunked) {
                int used = chunkedDecoder.feed(b, i, end - i, body);
                i += used;
                if (chunkedDecoder.done) bodyDone = true;
            } else if (contentLength >= 0) {
                int n = (int) Math.min(end - i, contentLength - bodyRead);
                if (n > 0) body.onBody(b, i, n);
                bodyRead += n; i += n;
                if (bodyRead >= contentLength) bodyDone = true;
            } else {
                if (end > i) body.onBody(b, i, end - i);
                i = end;
            }
            return i - off;
        }

        private void parseHead() {
            headDone = true;
            String[] lines = head.toString().split("\r?\n");
            String[] sl = lines[0].split(" ", 3);
            status = sl.length > 1 ? Integer.parseInt(sl[1].trim()) : -1;
            if (lines[0].startsWith("HTTP/1.0")) keepAlive = false;
            for (int k = 1; k < lines.length; k++) {
                int c = lines[k].indexOf(':');
                if (c < 0) continue;
                String n = lines[k].substring(0, c).trim().toLowerCase();
                String v = lines[k].substring(c + 1).trim();
                if (n.equals("transfer-encoding") && v.toLowerCase().contains("chunked")) chunked = true;
                else if (n.equals("content-length")) contentLength = Long.parseLong(v);
                else if (n.equals("connection") && v.equalsIgnoreCase("close")) keepAlive = false;
            }
            if (chunked) contentLength = -1;
            if (status == 204 || status == 304) { contentLength = 0; bodyDone = true; }
            else if (!chunked && contentLength == 0) bodyDone = true;
            if (!chunked && contentLength < 0) keepAlive = false;
        }

        public String headText() { return head.toString(); }
    }

    /** Chunked transfer-coding decoder (RFC 9112 7.1), extensions and trailers skipped. */
    public static final class Chunked {
        private static final int SIZE = 0, EXT = 1, SIZE_LF = 2, DATA = 3, DATA_CR = 4, DATA_LF = 5, TRAILER = 6;
        private int state = SIZE;
        private long remaining;
        private boolean sawDigit;
        private int trailerLineLen;
        public boolean done;

        public void reset() { state = SIZE; remaining = 0; sawDigit = false; trailerLineLen = 0; done = false; }

        public int feed(byte[] b, int off, int len, Body body) {
            int i = off, end = off + len;
            while (i < end && !done) {
                byte c = b[i];
                switch (state) {
                    case SIZE: {
                        int d = Character.digit((char) c, 16);
                        if (d >= 0) { remaining = remaining * 16 + d; sawDigit = true; i++; }
                        else if (c == '\r') { state = SIZE_LF; i++; }
                        else if (c == '\n') { i++; afterSize(); }
                        else if (c == ';' || c == ' ' || c == '\t') { state = EXT; i++; }
                        else throw new IllegalStateException("bad chunk size byte " + c);
                        break;
                    }
                    case EXT: if (c == '\n') afterSize(); else if (c == '\r') state = SIZE_LF; i++; break;
                    case SIZE_LF:
                        if (c != '\n') throw new IllegalStateException("expected LF after chunk size");
                        i++; afterSize(); break;
                    case DATA: {
                        int n = (int) Math.min(remaining, end - i);
                        body.onBody(b, i, n);
                        i += n; remaining -= n;
                        if (remaining == 0) state = DATA_CR;
                        break;
                    }
                    case DATA_CR:
                        if (c == '\r') { state = DATA_LF; i++; }
                        else if (c == '\n') { state = SIZE; i++; }
                        else throw new IllegalStateException("expected CRLF after chunk data");
                        break;
                    case DATA_LF:
                        if (c != '\n') throw new IllegalStateException("expected LF after chunk data");
                        state = SIZE; i++; break;
                    case TRAILER:
                        i++;
                        if (c == '\n') { if (trailerLineLen == 0) done = true; trailerLineLen = 0; }
                        else if (c != '\r') trailerLineLen++;
                        break;
                    default: throw new IllegalStateException();
                }
            }
            return i - off;
        }

        private void afterSize() {
            if (!sawDigit) throw new IllegalStateException("empty chunk size");
            sawDigit = false;
            if (remaining == 0) { state = TRAILER; trailerLineLen = 0; } else state = DATA;
        }
    }

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
