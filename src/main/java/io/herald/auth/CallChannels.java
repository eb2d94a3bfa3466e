package io.herald.auth;

import io.herald.channel.ChannelPattern;
import io.herald.channel.Subscription;
import io.herald.event.EventDraft;
import io.herald.poll.PollQuery;
import io.herald.publish.HeraldMessage;
import io.herald.stream.StreamRequest;
import jakarta.interceptor.InvocationContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels an intercepted call acts on, found in its arguments: {@code channel}/{@code channels} path and query
 * parameters, {@link ChannelParam} parameters, stream and poll requests, subscriptions, event drafts (alone or in a
 * batch) and in-process messages. Invalid names are refused with 400 by the parse.
 */
final class CallChannels {

    private CallChannels() {
    }

    /** Per intercepted method, which parameters name channels: read once, not with reflection on every call. */
    private static final Map<Method, boolean[]> NAMED = new ConcurrentHashMap<>();

    static Set<ChannelPattern> of(InvocationContext ctx) {
        Set<ChannelPattern> out = new LinkedHashSet<>();
        Object[] args = ctx.getParameters();
        boolean[] named = NAMED.computeIfAbsent(ctx.getMethod(), CallChannels::channelParameters);
        for (int i = 0; i < args.length; i++) {
            add(out, args[i], named[i]);
        }
        return out;
    }

    private static boolean[] channelParameters(Method method) {
        Annotation[][] annotations = method.getParameterAnnotations();
        boolean[] named = new boolean[annotations.length];
        for (int i = 0; i < annotations.length; i++) {
            named[i] = namesChannels(annotations[i]);
        }
        return named;
    }

    /** The servlet request passed to the call, if any (the stream admission gets one). */
    static Optional<HttpServletRequest> request(InvocationContext ctx) {
        for (Object arg : ctx.getParameters()) {
            if (arg instanceof HttpServletRequest r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static boolean namesChannels(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof ChannelParam
                    || a instanceof PathParam p && isChannelName(p.value())
                    || a instanceof QueryParam q && isChannelName(q.value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isChannelName(String name) {
        return name.equals("channel") || name.equals("channels");
    }

    private static void add(Set<ChannelPattern> out, Object arg, boolean named) {
        if (arg instanceof StreamRequest s) {
            out.addAll(s.subscription().patterns());
        } else if (arg instanceof PollQuery q) {
            out.addAll(q.subscription().patterns());
        } else if (arg instanceof Subscription s) {
            out.addAll(s.patterns());
        } else if (arg instanceof EventDraft d) {
            d.channels().forEach(c -> out.add(ChannelPattern.parse(c)));
        } else if (arg instanceof HeraldMessage m) {
            m.channels().forEach(c -> out.add(ChannelPattern.parse(c)));
        } else if (arg instanceof ChannelPattern p) {
            out.add(p);
        } else if (arg instanceof Collection<?> items) {
            for (Object item : items) {
                add(out, item, named);
            }
        } else if (named && arg instanceof String text) {
            for (String name : List.of(text.split(",", -1))) {
                out.add(ChannelPattern.parse(name.trim()));
            }
        }
    }
}
