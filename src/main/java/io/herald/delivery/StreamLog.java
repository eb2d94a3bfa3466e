package io.herald.delivery;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per stream opened and one per stream closed, on the {@code io.herald.streams} logger at INFO: client
 * id, token subject, channels, and for a close its duration and reason. Never the token, a query string or event
 * data. Levels are set the server's usual way (JUL: {@code io.herald.streams.level = WARNING} silences it).
 */
final class StreamLog {

    private static final Logger LOG = Logger.getLogger("io.herald.streams");

    private StreamLog() {
    }

    static void opened(Connection c, String lastEventId) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info("stream opened client=" + c.clientId() + " subject=" + subject(c) + " channels=" + channels(c)
                    + (lastEventId == null ? "" : " resume=true"));
        }
    }

    static void closed(Connection c, Connection.CloseReason reason) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info("stream closed client=" + c.clientId() + " subject=" + subject(c) + " channels=" + channels(c)
                    + " durationMs=" + (System.currentTimeMillis() - c.connectedAtMillis())
                    + " events=" + c.eventsSent() + " reason=" + reason.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String subject(Connection c) {
        String s = c.viewer().subject();
        return s == null ? "-" : s.replaceAll("[\\s\\p{Cntrl}]", "_");
    }

    private static String channels(Connection c) {
        StringBuilder sb = new StringBuilder();
        c.patterns().forEach(p -> sb.append(sb.length() == 0 ? "" : ",").append(p.text()));
        return sb.toString();
    }
}
