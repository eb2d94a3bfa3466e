package io.herald.event;

/**
 * Who may receive an event among a channel's subscribers.
 *
 * @param privateEvent only subscribers whose token grants subscribe on the channel (never anonymous ones)
 * @param permission   only subscribers holding this permission name, or null
 */
public record Audience(boolean privateEvent, String permission) {

    public static final Audience EVERYONE = new Audience(false, null);

    public boolean isEveryone() {
        return !privateEvent && permission == null;
    }
}
