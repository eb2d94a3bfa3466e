package io.herald.delivery;

import java.util.List;
import java.util.Set;

/** A bare stream object for transport tests, outside any registry. */
public final class TestConnections {

    private TestConnections() {
    }

    public static Connection create(String clientId) {
        return new Connection(clientId, List.of(), Set.of(), false, Viewer.ANONYMOUS, 16,
                new ClientDetails("test", "127.0.0.1"), 0, BatchPolicy.NONE);
    }
}
