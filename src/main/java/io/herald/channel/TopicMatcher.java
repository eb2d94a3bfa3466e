package io.herald.channel;

import java.util.function.Consumer;

/**
 * Finds the subscribers whose topic expressions match a published channel.
 * Kept small because other protocol adapters bring their own topic syntax (URI templates, say).
 *
 * @param <S> the subscriber type
 */
public interface TopicMatcher<S> {

    void add(ChannelPattern pattern, S subscriber);

    void remove(ChannelPattern pattern, S subscriber);

    /** Calls {@code visitor} for each subscription matching {@code channel}; a subscriber may be visited more than once. */
    void match(String channel, Consumer<S> visitor);
}
