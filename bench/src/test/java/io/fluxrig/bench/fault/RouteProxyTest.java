package io.fluxrig.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The partition mechanism of the fault runs, without a NATS server: a proxy in front of a line
 * echo server stands for a node's route port; "dialers" open connections that start with a route
 * protocol {@code CONNECT} naming them. A cut closes exactly the connections that cross it and
 * refuses new ones until healed. Every step waits for an observable event (an echo, an end of
 * stream), never for time.
 */
class RouteProxyTest {
    /** A line echo server: what it reads it writes back; one thread per connection. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Thread e = new Thread(() -> {
                        try (c; var in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException closed) {
                            // the proxy closed it
                        }
                    });
                    e.setDaemon(true);
                    e.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** One dialer's connection through the proxy: its lines come back, or the stream ends. */
    private static final class Dialer implements AutoCloseable {
        final Socket socket;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Dialer(int port, String serverId) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            Thread r = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException closed) {
                    // closed
                }
                lines.add("<end>");
            });
            r.setDaemon(true);
            r.start();
            send("CONNECT {\"echo\":false,\"verbose\":false,\"name\":\"" + serverId + "\",\"cluster\":\"c\"}");
            assertEquals("CONNECT {\"echo\":false,\"verbose\":false,\"name\":\"" + serverId + "\",\"cluster\":\"c\"}", next());
        }

        void send(String line) throws IOException {
            socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        String next() {
            try {
                String l = lines.poll(30, TimeUnit.SECONDS);
                return l == null ? "<nothing within 30 s>" : l;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "<interrupted>";
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aCutClosesTheConnectionsOfTheIsolatedDialerOnlyAndHealLetsThemBackIn() throws Exception {
        try (ServerSocket node = echoServer(); RouteProxy proxy = new RouteProxy("n1", 0, node.getLocalPort());
                Dialer fromN2 = new Dialer(proxy.port(), "SERVER_N2"); Dialer fromN3 = new Dialer(proxy.port(), "SERVER_N3")) {
            assertEquals(2, proxy.open());

            proxy.cut(Set.of("SERVER_N3"), false);
            assertEquals("<end>", fromN3.next(), "n3's route to n1 is cut");
            fromN2.send("PING");
            assertEquals("PING", fromN2.next(), "n2's route to n1 still carries traffic");
            try (Dialer again = new Dialer(proxy.port(), "SERVER_N2")) {
                assertEquals(2, proxy.open(), "n2 may still dial in");
            }
            try (Socket n3Again = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                n3Again.getOutputStream().write("CONNECT {\"name\":\"SERVER_N3\"}\r\n".getBytes(StandardCharsets.UTF_8));
                assertEquals(-1, n3Again.getInputStream().read(), "n3 dialling again is refused once it names itself");
            }

            proxy.heal();
            try (Dialer n3Back = new Dialer(proxy.port(), "SERVER_N3")) {
                n3Back.send("PING");
                assertEquals("PING", n3Back.next(), "healed: n3 gets through again");
            }
        }
    }

    @Test
    void isolatingTheProxysOwnNodeCutsAndRefusesEveryConnection() throws Exception {
        try (ServerSocket node = echoServer(); RouteProxy proxy = new RouteProxy("n1", 0, node.getLocalPort());
                Dialer fromN2 = new Dialer(proxy.port(), "SERVER_N2")) {
            proxy.cut(Set.of("SERVER_N1"), true);
            assertEquals("<end>", fromN2.next(), "every route to the isolated node is cut");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertEquals(-1, s.getInputStream().read(), "a new connection to the isolated node is closed at once");
            }
            proxy.heal();
            try (Dialer back = new Dialer(proxy.port(), "SERVER_N2")) {
                assertTrue(proxy.open() >= 1);
            }
        }
    }

    @Test
    void aDialerThatNeverNamesItselfIsCutByItsProcessAsOnATlsRoute() throws Exception {
        Process other = new ProcessBuilder("sleep", "600").start(); // a process holding no connection
        try (ServerSocket node = echoServer(); RouteProxy proxy = new RouteProxy("n1", 0, node.getLocalPort());
                Socket dialer = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            // bytes the proxy cannot read a name from (a TLS record, say): forwarded as they are
            byte[] record = {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'};
            dialer.getOutputStream().write(record);
            byte[] back = dialer.getInputStream().readNBytes(record.length);
            assertEquals(new String(record, StandardCharsets.ISO_8859_1), new String(back, StandardCharsets.ISO_8859_1),
                    "forwarded byte for byte");

            proxy.cut(Set.of(), Set.of(other.pid()), false);
            dialer.getOutputStream().write(record);
            assertEquals(new String(record, StandardCharsets.ISO_8859_1),
                    new String(dialer.getInputStream().readNBytes(record.length), StandardCharsets.ISO_8859_1),
                    "another process isolated: this dialer's route still carries traffic");

            proxy.cut(Set.of(), Set.of(ProcessHandle.current().pid()), false);
            assertEquals(-1, dialer.getInputStream().read(), "the process holding the dialer's end is isolated: cut");
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertEquals(-1, again.getInputStream().read(), "and refused when it dials again");
            }
            proxy.heal();
            try (Socket back2 = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                back2.getOutputStream().write(record);
                assertEquals(record.length, back2.getInputStream().readNBytes(record.length).length, "healed: through again");
            }
        } finally {
            other.destroyForcibly();
        }
    }
}
