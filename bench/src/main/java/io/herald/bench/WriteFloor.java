package io.herald.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's floor under any SSE hub on this machine: CPU time of one small non-blocking write to each of N loopback
 * sockets, with no hub code at all. A fan-out to N subscribers costs at least N of these on the server's core.
 * Usage: {@code taskset -c 0 java -cp ... io.herald.bench.WriteFloor [sockets=9000] [rounds=5]}
 * (sockets stay under the 20,000 open files of one process: each connection here holds two).
 */
public final class WriteFloor {

    private WriteFloor() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] frame = "id: 12345-0\ndata: {\"t\":1234567890123,\"seq\":1}\n\n".getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> clients = new ArrayList<>();
        List<SocketChannel> servers = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                c.bind(new InetSocketAddress("127.0.0." + (1 + i % 200), 0));
                c.connect(listener.getLocalAddress());
                clients.add(c);
                SocketChannel s = listener.accept();
                s.configureBlocking(false);
                servers.add(s);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            ByteBuffer buffer = ByteBuffer.allocateDirect(256);
            ByteBuffer drain = ByteBuffer.allocateDirect(65536);
            for (int pass = 0; pass < 3; pass++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long user0 = threads.getCurrentThreadUserTime();
                long wall0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    for (SocketChannel s : servers) {
                        buffer.clear();
                        buffer.put(frame).flip();
                        s.write(buffer);
                    }
                }
                double writes = (double) n * rounds;
                System.out.printf(Locale.ROOT, "pass %d: %d sockets x %d rounds: CPU %.2f us/write (user %.2f), wall %.2f us/write%n",
                        pass, n, rounds, (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / writes,
                        (threads.getCurrentThreadUserTime() - user0) / 1e3 / writes, (System.nanoTime() - wall0) / 1e3 / writes);
                for (SocketChannel c : clients) {
                    c.configureBlocking(false);
                    while (c.read(drain) > 0) {
                        drain.clear();
                    }
                }
            }
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
            for (SocketChannel s : servers) {
                s.close();
            }
        }
    }
}
