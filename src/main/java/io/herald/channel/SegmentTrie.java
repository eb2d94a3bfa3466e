package io.herald.channel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A trie over channel segments: matching costs one step per segment (times the wildcards on the way),
 * whatever the number of patterns. Reads are lock-free; changes are serialised.
 */
public final class SegmentTrie<S> implements TopicMatcher<S> {

    private final Node<S> root = new Node<>();
    private final Object writeLock = new Object();

    private static final class Node<S> {
        final Map<String, Node<S>> children = new ConcurrentHashMap<>();
        volatile Node<S> one;
        final Set<S> here = ConcurrentHashMap.newKeySet();
        final Set<S> manyBelow = ConcurrentHashMap.newKeySet();

        boolean isEmpty() {
            return children.isEmpty() && one == null && here.isEmpty() && manyBelow.isEmpty();
        }
    }

    @Override
    public void add(ChannelPattern pattern, S subscriber) {
        synchronized (writeLock) {
            Node<S> node = root;
            for (String segment : pattern.segments()) {
                if (ChannelPattern.MANY.equals(segment)) {
                    node.manyBelow.add(subscriber);
                    return;
                }
                if (ChannelPattern.ONE.equals(segment)) {
                    if (node.one == null) {
                        node.one = new Node<>();
                    }
                    node = node.one;
                } else {
                    node = node.children.computeIfAbsent(segment, k -> new Node<>());
                }
            }
            node.here.add(subscriber);
        }
    }

    @Override
    public void remove(ChannelPattern pattern, S subscriber) {
        synchronized (writeLock) {
            remove(root, pattern, 0, subscriber);
        }
    }

    private void remove(Node<S> node, ChannelPattern pattern, int depth, S subscriber) {
        var segments = pattern.segments();
        if (depth == segments.size()) {
            node.here.remove(subscriber);
            return;
        }
        String segment = segments.get(depth);
        if (ChannelPattern.MANY.equals(segment)) {
            node.manyBelow.remove(subscriber);
            return;
        }
        if (ChannelPattern.ONE.equals(segment)) {
            Node<S> child = node.one;
            if (child != null) {
                remove(child, pattern, depth + 1, subscriber);
                if (child.isEmpty()) {
                    node.one = null;
                }
            }
        } else {
            Node<S> child = node.children.get(segment);
            if (child != null) {
                remove(child, pattern, depth + 1, subscriber);
                if (child.isEmpty()) {
                    node.children.remove(segment);
                }
            }
        }
    }

    @Override
    public void match(String channel, Consumer<S> visitor) {
        match(root, channel.split("\\.", -1), 0, visitor);
    }

    private void match(Node<S> node, String[] segments, int depth, Consumer<S> visitor) {
        if (depth == segments.length) {
            node.here.forEach(visitor);
            return;
        }
        node.manyBelow.forEach(visitor);
        Node<S> child = node.children.get(segments[depth]);
        if (child != null) {
            match(child, segments, depth + 1, visitor);
        }
        Node<S> one = node.one;
        if (one != null) {
            match(one, segments, depth + 1, visitor);
        }
    }

    /** Subscribers registered under exactly this literal channel (no wildcard). */
    public Set<S> exact(String channel) {
        Node<S> node = root;
        for (String segment : channel.split("\\.", -1)) {
            node = node.children.get(segment);
            if (node == null) {
                return Set.of();
            }
        }
        return node.here;
    }
}
