package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** iso8583.server over real loopback sockets, with a plain-Java "downstream" that answers on a separate thread pool. */
class ServerGearTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A server whose downstream answers "ACK:" + request bytes, from another thread, routed only by iso.conn. */
    private ServerGear ackServer(Map<String, Object> config) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of("port", 0));
        c.putAll(config);
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, c));
        RecordingContext ctx = new RecordingContext("srv");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ctx.route("out", m -> pool.submit(() -> {
            FluxMsg response = FluxMsg.builder().meta("iso.conn", m.meta("iso.conn"))
                    .raw(("ACK:" + new String(m.raw().toByteArray(), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1)).build();
            server.onMessage("in", response, ctx);
            return null;
        }));
        server.open(ctx);
        cleanup.add(pool::shutdownNow);
        cleanup.add(server::close);
        return server;
    }

    private Socket connect(ServerGear server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.localPort());
        cleanup.add(s);
        return s;
    }

    private static void send(Socket s, Framing f, byte[] header, String body) throws IOException {
        s.getOutputStream().write(f.frame(header, body.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String receive(Socket s, Framing f, int headerBytes) throws IOException {
        s.setSoTimeout(20_000);
        byte[] frame = f.read(s.getInputStream(), headerBytes, 65535);
        return new String(frame, headerBytes, frame.length - headerBytes, StandardCharsets.ISO_8859_1);
    }

    /** Reads until the peer closes; true when it did (EOF or reset) rather than sending data. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void manyConcurrentConnectionsEachGetTheirOwnResponses() throws Exception {
        ServerGear server = ackServer(Map.of());
        int connections = 24;
        int perConnection = 40;
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        cleanup.add(clients::shutdownNow);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            results.add(clients.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", server.localPort())) {
                    for (int i = 0; i < perConnection; i++) {
                        send(s, Framing.BINARY2, new byte[0], "c" + conn + "-m" + i);
                    }
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < perConnection; i++) {
                        got.add(receive(s, Framing.BINARY2, 0));
                    }
                    got.sort(null);
                    List<String> want = new ArrayList<>();
                    for (int i = 0; i < perConnection; i++) {
                        want.add("ACK:c" + conn + "-m" + i);
                    }
                    want.sort(null);
                    assertEquals(want, got, "connection " + conn);
                    return got.size();
                }
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        assertEquals(connections * perConnection, total);
        Await.until("all responses counted", () -> server.counters().framesOut() == connections * perConnection);
        ServerCounters c = server.counters();
        assertEquals(connections, c.connectionsTotal());
        assertEquals(connections * perConnection, c.framesIn());
        assertEquals(connections * perConnection, c.framesOut());
        assertEquals(0, c.undeliverable());
    }

    @Test
    void responseForAClosedOrUnknownConnectionIsCountedAndRejectedNeverWrittenElsewhere() throws Exception {
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        RecordingContext ctx = new RecordingContext("srv");
        server.open(ctx);
        cleanup.add(server::close);
        Socket gone = connect(server);
        Socket bystander = connect(server);
        // Both accepted first: otherwise "one open" below could be seen before the bystander is
        // counted, while the first connection is still open.
        Await.until("both connections accepted", () -> server.counters().connectionsTotal() == 2);
        send(gone, Framing.BINARY2, new byte[0], "REQ1");
        FluxMsg request = ctx.take("out");
        assertTrue(request.meta("iso.conn").matches("srv/[0-9a-z]+-1"), request.meta("iso.conn"));
        assertEquals("127.0.0.1", request.meta("iso.remote").split(":")[0]);
        assertNull(request.meta("iso.header"));
        gone.close();
        Await.until("closed connection noticed", () -> server.counters().connectionsOpen() == 1);

        FluxMsg late = FluxMsg.builder().meta("iso.conn", request.meta("iso.conn")).raw(new byte[] {1, 2}).build();
        GearRejection r = assertThrows(GearRejection.class, () -> server.onMessage("in", late, ctx));
        assertEquals("iso8583.server srv: connection " + request.meta("iso.conn") + " is closed or unknown: response " + late.id()
                + " not delivered", r.getMessage());
        FluxMsg unknown = FluxMsg.builder().meta("iso.conn", "srv/999").raw(new byte[] {1}).build();
        assertThrows(GearRejection.class, () -> server.onMessage("in", unknown, ctx));
        assertEquals(2, server.counters().undeliverable());
        assertEquals(0, server.counters().framesOut());
        bystander.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class, () -> bystander.getInputStream().read(), "nothing written to another connection");
    }

    /**
     * A bundle update or a configuration change replaces the component, whose connections are
     * numbered from 1 again: a response still travelling for a connection of the component before
     * must not reach the new component's connection with the same number (another terminal).
     */
    @Test
    void aResponseForAConnectionOfAnEarlierComponentReachesNoConnectionOfTheNextOne() throws Exception {
        ServerGear before = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        RecordingContext ctx = new RecordingContext("srv");
        before.open(ctx);
        Socket old = connect(before);
        send(old, Framing.BINARY2, new byte[0], "REQ1");
        String oldConn = ctx.take("out").meta("iso.conn");
        before.close();
        old.close();

        ServerGear after = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        after.open(ctx);
        cleanup.add(after::close);
        Socket next = connect(after);
        send(next, Framing.BINARY2, new byte[0], "REQ2");
        String newConn = ctx.take("out").meta("iso.conn");
        assertTrue(oldConn.endsWith("-1") && newConn.endsWith("-1"), oldConn + " " + newConn + ": each component's first connection");
        assertTrue(!oldConn.equals(newConn), "the two components' first connections have different ids: " + oldConn);

        FluxMsg late = FluxMsg.builder().meta("iso.conn", oldConn).raw(new byte[] {1, 2}).build();
        assertThrows(GearRejection.class, () -> after.onMessage("in", late, ctx));
        assertEquals(1, after.counters().undeliverable());
        next.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class, () -> next.getInputStream().read(), "nothing written to the new terminal");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "oversize frame|binary2|00FF00|frame length 255 exceeds max.frame.bytes 100",
        "zero-length frame|binary2|0000|zero-length frame",
        "malformed ascii prefix|ascii4|30314130|malformed length prefix 30314130 (hex): not 4 ASCII digits",
        "oversize ascii frame|ascii4|39393939|frame length 9999 exceeds max.frame.bytes 100",
        "frame shorter than its header|binary2|0003000000|frame length 3 leaves no message after the 5-byte header"})
    void aBadFrameClosesOnlyThatConnection(String name, String framing, String hex, String reason) throws Exception {
        Map<String, Object> config = new java.util.HashMap<>(Map.of("framing", framing, "max_frame_bytes", 100));
        if (name.contains("header")) {
            config.put("header_bytes", 5);
        }
        ServerGear server = ackServer(config);
        Framing f = Framing.of(framing);
        byte[] header = name.contains("header") ? new byte[5] : new byte[0];
        Socket good = connect(server);
        Socket bad = connect(server);
        send(good, f, header, "first");
        assertEquals("ACK:first", receive(good, f, header.length));
        bad.getOutputStream().write(HexFormat.of().parseHex(hex));
        assertTrue(closedByServer(bad));
        send(good, f, header, "second");
        assertEquals("ACK:second", receive(good, f, header.length));
        Await.until("failure counted", () -> server.counters().connectionsFailed() == 1);
        assertEquals(1, server.recentCloses().size());
        assertTrue(server.recentCloses().get(0).matches("srv/[0-9a-z]+-2 closed: " + java.util.regex.Pattern.quote(reason)),
                server.recentCloses().toString());
        assertEquals(1, server.counters().connectionsOpen());
    }

    @Test
    void aTricklingSenderIsCutOffByTheReadTimeoutAndOthersKeepServing() throws Exception {
        ServerGear server = ackServer(Map.of("read_timeout_ms", 300));
        Socket good = connect(server);
        Socket slow = connect(server);
        byte[] frame = Framing.BINARY2.frame(new byte[0], "0800 trickled".getBytes(StandardCharsets.US_ASCII));
        AtomicBoolean cut = new AtomicBoolean();
        Thread trickler = new Thread(() -> {
            try {
                for (byte b : frame) {
                    slow.getOutputStream().write(b);
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                cut.set(true);
            }
        });
        trickler.start();
        assertTrue(closedByServer(slow));
        send(good, Framing.BINARY2, new byte[0], "still here");
        assertEquals("ACK:still here", receive(good, Framing.BINARY2, 0));
        trickler.join();
        Await.until("failure counted", () -> server.counters().connectionsFailed() == 1);
        String reason = server.recentCloses().get(0);
        assertTrue(reason.matches("srv/[0-9a-z]+-2 closed: trickling sender: .*") && reason.contains("read.timeout.ms 300 ms"), reason);
        assertEquals(0, server.counters().framesIn() - 1, "only the good frame was read");
    }

    @ParameterizedTest(name = "{0} header {1}")
    @CsvSource({"binary2,0", "binary2,5", "ascii4,0", "ascii4,5"})
    void framingsWithAndWithoutHeaderAreByteExactAndTheHeaderIsEchoed(String framing, int headerBytes) throws Exception {
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0, "framing", framing, "header_bytes", headerBytes)));
        RecordingContext ctx = new RecordingContext("srv");
        server.open(ctx);
        cleanup.add(server::close);
        Socket s = connect(server);
        byte[] tpdu = HexFormat.of().parseHex("6000120000");
        byte[] header = headerBytes == 0 ? new byte[0] : tpdu;
        byte[] body = "0800REQUEST".getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(Framing.of(framing).frame(header, body));
        FluxMsg req = ctx.take("out");
        assertArrayEquals(body, req.raw().toByteArray());
        assertEquals(headerBytes == 0 ? null : "6000120000", req.meta("iso.header"));
        byte[] answer = "0810ANSWER".getBytes(StandardCharsets.US_ASCII);
        server.onMessage("in", req.derive().raw(answer).build(), ctx);
        byte[] expected = Framing.of(framing).frame(header, answer);
        byte[] got = s.getInputStream().readNBytes(expected.length);
        assertArrayEquals(expected, got);
        String prefix = framing.equals("ascii4") ? String.format("%04d", header.length + answer.length) : null;
        if (prefix != null) {
            assertEquals(prefix, new String(got, 0, 4, StandardCharsets.US_ASCII));
        } else {
            assertEquals(header.length + answer.length, (got[0] & 0xFF) << 8 | got[1] & 0xFF);
        }
    }

    @Test
    void connectionsBeyondTheMaximumAreRefusedAndCounted() throws Exception {
        ServerGear server = ackServer(Map.of("max_connections", 2));
        Socket a = connect(server);
        Socket b = connect(server);
        send(a, Framing.BINARY2, new byte[0], "a");
        send(b, Framing.BINARY2, new byte[0], "b");
        assertEquals("ACK:a", receive(a, Framing.BINARY2, 0));
        assertEquals("ACK:b", receive(b, Framing.BINARY2, 0));
        Socket c = connect(server);
        assertTrue(closedByServer(c));
        assertEquals(1, server.counters().connectionsRefused());
        assertEquals(2, server.counters().connectionsOpen());
        assertEquals(1, server.recentCloses().size());
        assertTrue(server.recentCloses().get(0).matches("srv/[0-9a-z]+-3 refused: max\\.connections 2 open"), server.recentCloses().toString());
    }

    /** One client cannot hold every connection: the cap per peer address, with real sockets from two loopback addresses. */
    @Test
    void connectionsBeyondThePerAddressCapAreRefusedWhileOtherAddressesAreServed() throws Exception {
        ServerGear server = ackServer(Map.of("max_connections", 10, "max_connections_per_address", 2));
        java.net.InetAddress first = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress second = java.net.InetAddress.getByName("127.0.0.2");
        Socket a1 = connectFrom(server, first);
        Socket a2 = connectFrom(server, first);
        send(a1, Framing.BINARY2, new byte[0], "a1");
        send(a2, Framing.BINARY2, new byte[0], "a2");
        assertEquals("ACK:a1", receive(a1, Framing.BINARY2, 0));
        assertEquals("ACK:a2", receive(a2, Framing.BINARY2, 0));

        Socket a3 = connectFrom(server, first);
        assertTrue(closedByServer(a3), "a third connection from 127.0.0.1 is refused");
        Socket b1 = connectFrom(server, second);
        send(b1, Framing.BINARY2, new byte[0], "b1");
        assertEquals("ACK:b1", receive(b1, Framing.BINARY2, 0), "another address still gets a connection");
        assertEquals(1, server.counters().connectionsRefused());
        assertEquals(3, server.counters().connectionsOpen());
        assertEquals(1, server.recentCloses().size());
        assertTrue(server.recentCloses().get(0).matches("srv/[0-9a-z]+-3 refused: max\\.connections\\.per\\.address 2 open from 127\\.0\\.0\\.1"),
                server.recentCloses().toString());

        // A closed connection frees its place for that address.
        a1.close();
        io.fluxrig.testsupport.Await.until("the closed connection is gone", () -> server.counters().connectionsOpen() == 2);
        Socket a4 = connectFrom(server, first);
        send(a4, Framing.BINARY2, new byte[0], "a4");
        assertEquals("ACK:a4", receive(a4, Framing.BINARY2, 0));
    }

    @Test
    void aNegativePerAddressCapIsRefusedNamingTheProperty() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.of(Configs.of(ServerConfig.class, Map.of("max_connections_per_address", -1))));
        assertTrue(e.getMessage().contains("max.connections.per.address"), e.getMessage());
    }

    private Socket connectFrom(ServerGear server, java.net.InetAddress local) throws IOException {
        Socket s = new Socket("127.0.0.1", server.localPort(), local, 0);
        cleanup.add(s::close);
        return s;
    }

    @Test
    void backPressureCountsTheFrameAndKeepsTheConnection() throws Exception {
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        AtomicBoolean full = new AtomicBoolean(true);
        // A rack throws BackPressureException out of emit when the link buffer stays full.
        RecordingContext ctx = new RecordingContext("srv").beforeEmit((port, msg) -> {
            if (full.get()) {
                throw new BackPressureException("link srv.out -> dec.in full for 50 ms");
            }
        });
        ctx.route(Gear.PORT_OUT, msg -> server.onMessage("in", msg.derive().raw("OK".getBytes(StandardCharsets.US_ASCII)).build(), ctx));
        server.open(ctx);
        cleanup.add(server::close);
        Socket s = connect(server);
        send(s, Framing.BINARY2, new byte[0], "dropped");
        Await.until("rejected counted", () -> server.counters().rejected() == 1);
        full.set(false);
        send(s, Framing.BINARY2, new byte[0], "served");
        assertEquals("OK", receive(s, Framing.BINARY2, 0));
        assertEquals(1, server.counters().connectionsOpen());
        assertEquals(2, server.counters().framesIn());
        Await.until("response counted", () -> server.counters().framesOut() == 1);
    }

    @Test
    void badConfigurationNamesTheAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServerGear(Configs.of(ServerConfig.class, Map.of("framing", "ascii4", "max_frame_bytes", 20000))));
        assertEquals("iso8583.server config max.frame.bytes: must be above header.bytes and at most 9999 for ascii4, is 20000", e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new ServerGear(Configs.of(ServerConfig.class, Map.of("framing", "ascii2"))));
        assertEquals("iso8583.server config framing: framing 'ascii2' is not binary2 or ascii4", f.getMessage());
    }
}
