package io.herald.channel;

import io.herald.api.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a stream or poll asks for: channels or patterns ({@code channel=a&channel=b} or {@code channels=a,b})
 * and optionally event types ({@code event=x} or {@code events=x,y}).
 */
public record Subscription(List<ChannelPattern> patterns, Set<String> eventTypes) {

    public static final int DEFAULT_MAX_CHANNELS = 100;

    public static Subscription parse(List<String> channel, List<String> channels, List<String> event,
                                     List<String> events, int maxChannels) {
        Set<ChannelPattern> patterns = new LinkedHashSet<>();
        for (String text : joined(channel, channels)) {
            patterns.add(ChannelPattern.parse(text));
        }
        if (patterns.isEmpty()) {
            throw ApiException.badRequest("missing_channel",
                    "Name at least one channel: ?channel=a&channel=b or ?channels=a,b");
        }
        if (patterns.size() > maxChannels) {
            throw ApiException.badRequest("too_many_channels",
                    "At most " + maxChannels + " channels per subscription");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : joined(event, events)) {
            if (type.length() > 128 || type.indexOf('\r') >= 0 || type.indexOf('\n') >= 0 || type.indexOf('\0') >= 0) {
                throw ApiException.badRequest("invalid_event_name", "An event filter must be a single-line name");
            }
            types.add(type);
        }
        return new Subscription(List.copyOf(patterns), Set.copyOf(types));
    }

    private static List<String> joined(List<String> single, List<String> commaSeparated) {
        List<String> out = new ArrayList<>();
        if (single != null) {
            for (String s : single) {
                if (s == null || s.isEmpty()) {
                    throw ApiException.badRequest("invalid_channel", "An empty parameter value is not a name");
                }
                out.add(s);
            }
        }
        if (commaSeparated != null) {
            for (String list : commaSeparated) {
                for (String s : list.split(",", -1)) {
                    String t = s.trim();
                    if (t.isEmpty()) {
                        throw ApiException.badRequest("invalid_channel", "An empty item in a list is not a name");
                    }
                    out.add(t);
                }
            }
        }
        return out;
    }
}
