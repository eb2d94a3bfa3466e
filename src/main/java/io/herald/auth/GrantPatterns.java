package io.herald.auth;

import io.herald.api.ApiException;
import io.herald.channel.ChannelName;
import io.herald.channel.ChannelPattern;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/**
 * A list of granted channel patterns with {@code {sub}} replaced by the token subject. A requested pattern is
 * covered only when one grant contains every channel the request can match, so a wildcard never reaches a channel
 * the token could not name directly.
 */
public final class GrantPatterns {

    static final String SUBJECT = "{sub}";
    private static final Logger LOG = Logger.getLogger(GrantPatterns.class.getName());
    public static final GrantPatterns NONE = new GrantPatterns(List.of());

    private final List<ChannelPattern> patterns;

    private GrantPatterns(List<ChannelPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * Parses grants. A grant using {@code {sub}} is dropped when the subject is not one valid segment (so a subject
     * such as {@code a.*} cannot widen it); a grant that is not a valid pattern is dropped too.
     */
    public static GrantPatterns of(Collection<String> grants, String subject) {
        List<ChannelPattern> out = new ArrayList<>();
        boolean subjectUsable = ChannelName.isValidSegment(subject);
        for (String grant : grants) {
            if (grant == null) {
                continue;
            }
            String text = grant;
            if (text.contains(SUBJECT)) {
                if (!subjectUsable) {
                    continue;
                }
                text = text.replace(SUBJECT, subject);
            }
            try {
                out.add(ChannelPattern.parse(text));
            } catch (ApiException invalid) {
                LOG.fine(() -> "ignoring invalid grant pattern " + ChannelName.printable(grant));
            }
        }
        return new GrantPatterns(out);
    }

    public List<ChannelPattern> patterns() {
        return patterns;
    }

    /** Whether one grant contains every channel {@code requested} can match. */
    public boolean covers(ChannelPattern requested) {
        for (ChannelPattern grant : patterns) {
            if (contains(grant, requested)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a grant matches this channel name. */
    public boolean coversChannel(String channel) {
        for (ChannelPattern grant : patterns) {
            if (grant.matches(channel)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pattern containment: true when every channel matching {@code inner} also matches {@code outer}.
     * {@code *} is one segment, a trailing {@code **} one or more.
     */
    static boolean contains(ChannelPattern outer, ChannelPattern inner) {
        List<String> o = outer.segments();
        List<String> in = inner.segments();
        for (int i = 0; i < o.size(); i++) {
            String g = o.get(i);
            if (ChannelPattern.MANY.equals(g)) {
                return i < in.size(); // inner has at least one segment here, whatever it is
            }
            if (i >= in.size()) {
                return false; // inner's channels are shorter than any outer matches
            }
            String r = in.get(i);
            if (ChannelPattern.MANY.equals(r)) {
                return false; // inner reaches any length; outer has a fixed one
            }
            if (ChannelPattern.ONE.equals(g)) {
                continue;
            }
            if (!g.equals(r)) {
                return false; // a literal outer segment contains only itself, never '*'
            }
        }
        return o.size() == in.size();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
