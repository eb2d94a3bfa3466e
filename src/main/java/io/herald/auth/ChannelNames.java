package io.herald.auth;

/** Channel text made safe to quote in an error message or a log line. */
final class ChannelNames {

    private ChannelNames() {
    }

    static String printable(String s) {
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
