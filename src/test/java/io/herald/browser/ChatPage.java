package io.herald.browser;

import io.herald.testing.Browser;

import java.util.List;

/** What the chat page shows. */
final class ChatPage {

    private ChatPage() {
    }

    /** The text of every message bubble, top to bottom. */
    static List<String> messages(Browser b) {
        return b.js("return [...document.querySelectorAll('#messages .msg')].map(e => e.lastChild.textContent)");
    }

    /** The page's system lines (joined, left, reset notices). */
    static List<String> notices(Browser b) {
        return b.js("return [...document.querySelectorAll('#messages .sys')].map(e => e.textContent)");
    }
}
