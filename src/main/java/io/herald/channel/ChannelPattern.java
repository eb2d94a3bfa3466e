package io.herald.channel;

import io.herald.api.ApiException;

import java.util.Arrays;
import java.util.List;

/**
 * A channel name or a pattern over dot-separated segments: {@code *} matches exactly one segment,
 * a trailing {@code **} matches one or more.
 */
public final class ChannelPattern {

    public static final String ONE = "*";
    public static final String MANY = "**";

    private final String text;
    private final List<String> segments;
    private final boolean literal;

    private ChannelPattern(String text, List<String> segments, boolean literal) {
        this.text = text;
        this.segments = segments;
        this.literal = literal;
    }

    /** Parses a channel name or pattern, or throws a 400. */
    public static ChannelPattern parse(String text) {
        if (text == null || text.isEmpty() || text.length() > ChannelName.MAX_LENGTH) {
            throw invalid(text);
        }
        String[] parts = text.split("\\.", -1);
        boolean literal = true;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (ONE.equals(part)) {
                literal = false;
            } else if (MANY.equals(part)) {
                if (i != parts.length - 1) {
                    throw invalid(text);
                }
                literal = false;
            } else if (!ChannelName.isValidSegment(part)) {
                throw invalid(text);
            }
        }
        return new ChannelPattern(text, List.of(parts), literal);
    }

    /** Parses a comma-separated configuration list of patterns (blank items are skipped); none for null. */
    public static List<ChannelPattern> parseList(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        java.util.ArrayList<ChannelPattern> out = new java.util.ArrayList<>();
        for (String item : commaSeparated.split(",")) {
            if (!item.isBlank()) {
                out.add(parse(item.trim()));
            }
        }
        return List.copyOf(out);
    }

    /** Whether any of {@code patterns} matches {@code channel}. */
    public static boolean anyMatches(List<ChannelPattern> patterns, String channel) {
        for (ChannelPattern p : patterns) {
            if (p.matches(channel)) {
                return true;
            }
        }
        return false;
    }

    private static ApiException invalid(String text) {
        return ApiException.badRequest("invalid_channel", "Channel or pattern '" + ChannelName.printable(text)
                + "' is invalid: use [A-Za-z0-9_:-] segments joined by dots, '*' for one segment and a trailing"
                + " '**' for one or more, at most " + ChannelName.MAX_LENGTH + " characters");
    }

    public String text() {
        return text;
    }

    public List<String> segments() {
        return segments;
    }

    /** True when this is a plain channel name with no wildcard. */
    public boolean isLiteral() {
        return literal;
    }

    /**
     * Segments indexed for replay per channel name ({@code RecentEvents}); a pattern whose first literal segment lies
     * past them resumes by reading the whole log after its id.
     */
    public static final int INDEXED_SEGMENTS = 4;

    /**
     * Where a replay finds this pattern's events in the broker's index ({@code RecentEvents}): the name itself when
     * literal; else the key of its first literal segment ({@link #segmentKey}): {@code stock.**} for {@code stock.*},
     * {@code #1.AAPL} for {@code *.AAPL}. Null when no segment among the first {@link #INDEXED_SEGMENTS} is literal
     * ({@code **}, {@code *.*}): only the whole log will do. The key's events are a superset of the pattern's; the
     * subscriber filters them.
     */
    public String replayKey() {
        if (literal) {
            return text;
        }
        for (int i = 0; i < segments.size() && i < INDEXED_SEGMENTS; i++) {
            String segment = segments.get(i);
            if (MANY.equals(segment)) {
                return null;
            }
            if (!ONE.equals(segment)) {
                return segmentKey(i, segment);
            }
        }
        return null;
    }

    /**
     * The replay key of every channel with dots whose segment {@code index} (from 0) is {@code segment}:
     * {@code first.**} for the first segment, {@code #index.segment} for a later one. A channel with dots is indexed
     * under these as well as under its name; no channel name contains {@code *} or {@code #}, so keys of different
     * kinds never meet.
     */
    public static String segmentKey(int index, String segment) {
        return index == 0 ? segment + "." + MANY : "#" + index + "." + segment;
    }

    public boolean matches(String channel) {
        if (literal) {
            return text.equals(channel);
        }
        return matches(Arrays.asList(channel.split("\\.", -1)));
    }

    boolean matches(List<String> channel) {
        int n = segments.size();
        for (int i = 0; i < n; i++) {
            String s = segments.get(i);
            if (MANY.equals(s)) {
                return channel.size() > i;
            }
            if (i >= channel.size()) {
                return false;
            }
            if (!ONE.equals(s) && !s.equals(channel.get(i))) {
                return false;
            }
        }
        return channel.size() == n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
