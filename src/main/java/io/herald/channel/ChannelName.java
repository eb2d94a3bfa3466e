package io.herald.channel;

import io.herald.api.ApiException;

import java.util.regex.Pattern;

/** The rule every channel name follows: {@code [A-Za-z0-9_:-]} segments joined by dots, at most 128 characters. */
public final class ChannelName {

    public static final int MAX_LENGTH = 128;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_:-]+");

    private ChannelName() {
    }

    public static boolean isValidSegment(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches();
    }

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (String segment : name.split("\\.", -1)) {
            if (!isValidSegment(segment)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the name, or throws a 400 naming the rule. */
    public static String require(String name) {
        if (!isValid(name)) {
            throw ApiException.badRequest("invalid_channel",
                    "Channel '" + printable(name) + "' is invalid: use [A-Za-z0-9_:-] segments joined by dots, at most "
                            + MAX_LENGTH + " characters");
        }
        return name;
    }

    /** The name as it may appear in an error message: cut to 64 characters, controls and quotes masked. */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '?' : c);
        }
        return out.toString();
    }
}
