package io.herald.bench;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The slow scenario's view of the server's sockets, from ss, matches real connections. */
class ProcStatsTest {

    @Test
    void listsTheServersConnectionsByClientAddressAndPortAndSeesOneClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> clients = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket c = new Socket();
                    c.bind(new InetSocketAddress("127.0.0." + (2 + i), 0));
                    c.connect(server.getLocalSocketAddress());
                    clients.add(c);
                    accepted.add(server.accept());
                }
                Map<Long, Integer> sockets = ProcStats.serverSockets(server.getLocalPort());
                Set<Long> expected = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    expected.add((((127L << 24) | (2 + i)) << 16) | clients.get(i).getLocalPort());
                }
                // a TIME_WAIT of an earlier run on the same port may be listed too; the established ones are ours
                Set<Long> established = new HashSet<>();
                sockets.forEach((key, state) -> {
                    if (state == 1) established.add(key);
                });
                assertEquals(expected, established, sockets.toString());
                accepted.get(0).close(); // the server ends one: FIN_WAIT, no longer established
                Map<Long, Integer> after = ProcStats.serverSockets(server.getLocalPort());
                assertNotEquals(1, after.get((((127L << 24) | 2) << 16) | clients.get(0).getLocalPort()));
                assertEquals(1, after.get((((127L << 24) | 3) << 16) | clients.get(1).getLocalPort()));
            } finally {
                for (Socket s : clients) s.close();
                for (Socket s : accepted) s.close();
            }
        }
    }
}
