package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Handover;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;

/**
 * iso8583.server replaced by a new instance (as at a bundle update) with real sockets: the next
 * instance goes on with the same connection, its id, and the bytes the old reader read ahead;
 * a deleted configuration or a bundle stopped for good still closes at once. The rack's service is stood in for by a map (its expiry
 * is tested in rack.runtime, the whole update in rack.itest).
 */
class ServerHandoverTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final MapHandover handover = new MapHandover();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    @Test
    void theNextInstanceGoesOnWithTheSameConnectionAndTheBytesReadAhead() throws Exception {
        ServerGear before = server();
        RecordingContext ctx1 = new RecordingContext("srv");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ctx1.beforeEmit((port, msg) -> {
            reading.countDown();
            await(release);
        });
        before.open(ctx1);
        int port = before.localPort();
        Socket terminal = new Socket("127.0.0.1", port);
        cleanup.add(terminal);

        // One write: REQ1 whole, REQ2 whole, the first half of REQ3. The reader takes it all in one
        // read and is held inside REQ1's emit while the old instance starts handing over.
        byte[] req3 = Framing.BINARY2.frame(new byte[0], bytes("REQ3-in-two-parts"));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.write(Framing.BINARY2.frame(new byte[0], bytes("REQ1")));
        first.write(Framing.BINARY2.frame(new byte[0], bytes("REQ2")));
        first.write(req3, 0, 7);
        terminal.getOutputStream().write(first.toByteArray());
        assertTrue(reading.await(20, TimeUnit.SECONDS));
        Thread closing = new Thread(() -> {
            before.close();
            before.deactivated(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED, true);
        });
        closing.start();
        Await.until("the hand-over waits for the reader", () -> closing.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        closing.join(20_000);
        FluxMsg req1 = ctx1.take("out");
        String conn = req1.meta("iso.conn");
        assertEquals("REQ1", text(req1));
        assertTrue(ctx1.queue("out").isEmpty(), "REQ2 was left to the next instance: " + ctx1.emitted("out"));
        assertEquals(List.of(ParkedServer.key("srv", ServerSettings.of(Configs.of(ServerConfig.class, Map.of("port", 0))))),
                List.copyOf(handover.parked.keySet()));

        // The rest of REQ3 arrives while no instance reads: it waits in the kernel.
        terminal.getOutputStream().write(req3, 7, req3.length - 7);

        ServerGear after = server();
        RecordingContext ctx2 = new RecordingContext("srv");
        after.open(ctx2);
        assertEquals(port, after.localPort(), "the same listening socket");
        FluxMsg req2 = ctx2.take("out");
        FluxMsg req3Msg = ctx2.take("out");
        assertEquals("REQ2", text(req2));
        assertEquals("REQ3-in-two-parts", text(req3Msg));
        assertEquals(conn, req2.meta("iso.conn"), "the connection keeps its id (and generation)");
        assertEquals(conn, req3Msg.meta("iso.conn"));

        // The answer to the request read by the old instance goes out through the new one.
        after.onMessage("in", FluxMsg.builder().meta("iso.conn", conn).raw(bytes("ANS1")).build(), ctx2);
        after.onMessage("in", FluxMsg.builder().meta("iso.conn", conn).raw(bytes("ANS2")).build(), ctx2);
        terminal.setSoTimeout(20_000);
        assertEquals("ANS1", new String(Framing.BINARY2.read(terminal.getInputStream(), 0, 1000), StandardCharsets.US_ASCII));
        assertEquals("ANS2", new String(Framing.BINARY2.read(terminal.getInputStream(), 0, 1000), StandardCharsets.US_ASCII));
        assertEquals(1, after.counters().connectionsOpen());

        // New terminals are served by the new instance, numbered in its own generation.
        Socket second = new Socket("127.0.0.1", port);
        cleanup.add(second);
        second.getOutputStream().write(Framing.BINARY2.frame(new byte[0], bytes("NEW")));
        FluxMsg fresh = ctx2.take("out");
        assertNotEquals(conn.substring(0, conn.lastIndexOf('-')), fresh.meta("iso.conn").substring(0, fresh.meta("iso.conn").lastIndexOf('-')));
        after.close();
        after.deactivated(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED, false);
    }

    @Test
    void aDeletedConfigurationClosesTheConnectionsAtOnce() throws Exception {
        assertClosedAtOnceWhen(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED, false);
    }

    /** An uninstall or a plain stop: the bundle stops and is not started again, nobody will claim. */
    @Test
    void aBundleStoppedForGoodClosesTheConnectionsAtOnce() throws Exception {
        assertClosedAtOnceWhen(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED, false);
    }

    /** A terminal with one request read; the server closed and deactivated so: the terminal sees the close, nothing stays parked. */
    private void assertClosedAtOnceWhen(int reason, boolean bundleStartsAgain) throws Exception {
        ServerGear server = server();
        RecordingContext ctx = new RecordingContext("srv");
        server.open(ctx);
        Socket terminal = new Socket("127.0.0.1", server.localPort());
        cleanup.add(terminal);
        terminal.getOutputStream().write(Framing.BINARY2.frame(new byte[0], bytes("REQ")));
        ctx.take("out");
        server.close();
        server.deactivated(reason, bundleStartsAgain);
        terminal.setSoTimeout(20_000);
        assertEquals(-1, terminal.getInputStream().read(), "the terminal sees the close");
        assertTrue(handover.parked.isEmpty(), "nothing left parked");
    }

    private ServerGear server() {
        ServerGear s = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        s.bindHandover(handover);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(FluxMsg m) {
        return new String(m.raw().toByteArray(), StandardCharsets.US_ASCII);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The rack's hand-over without its expiry: a map. */
    private static final class MapHandover implements Handover {
        final Map<String, Map<String, Object>> parked = new HashMap<>();

        @Override
        public synchronized void park(String key, List<? extends AutoCloseable> resources, Map<String, Object> state) {
            parked.put(key, state);
        }

        @Override
        public synchronized Map<String, Object> claim(String key) {
            return parked.remove(key);
        }
    }
}
