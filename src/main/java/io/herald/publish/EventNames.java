package io.herald.publish;

import io.herald.api.ApiException;

import java.util.Set;

/** The rule for event names a publisher may use. */
public final class EventNames {

    public static final int MAX_LENGTH = 128;

    /** Names that browsers or Herald itself give a meaning to. */
    public static final Set<String> RESERVED = Set.of("open", "error", "connected", "heartbeat", "reset", "join",
            "leave", "batch", "unavailable");

    private EventNames() {
    }

    public static String require(String name) {
        if (name == null) {
            return null;
        }
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid_event_name",
                    "An event name must have 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw ApiException.badRequest("invalid_event_name",
                        "An event name may not contain CR, LF or NUL");
            }
        }
        if (RESERVED.contains(name)) {
            throw ApiException.badRequest("reserved_event_name",
                    "The event name '" + name + "' is reserved; reserved names are " + RESERVED);
        }
        return name;
    }
}
