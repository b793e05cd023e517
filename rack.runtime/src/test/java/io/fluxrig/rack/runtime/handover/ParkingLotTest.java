package io.fluxrig.rack.runtime.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Park, claim and expiry with real sockets; the expiry task is run by hand instead of by a timer. */
class ParkingLotTest {
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final ParkingLot lot = new ParkingLot((task, ms) -> {
        scheduled.add(task);
        delays.add(ms);
    }, 30_000);

    @Test
    void aClaimHandsOverTheOpenSocketsAndTheirStateAndDisarmsTheExpiry() throws Exception {
        try (ServerSocket listener = listener(); Socket peer = new Socket()) {
            peer.connect(listener.getLocalSocketAddress());
            Socket accepted = listener.accept();
            byte[] pending = {0, 5, 'h'};
            lot.park("iso8583.server/edge@127.0.0.1:0", List.of(listener, accepted),
                    Map.of("listener", listener, "connections", List.of(Map.of("socket", accepted, "pending", pending))));
            assertEquals(List.of(30_000L), delays, "one expiry, after the grace period");

            Map<String, Object> state = lot.claim("iso8583.server/edge@127.0.0.1:0");
            assertSame(listener, state.get("listener"));
            assertNull(lot.claim("iso8583.server/edge@127.0.0.1:0"), "claimed once only");
            scheduled.get(0).run();
            assertFalse(listener.isClosed(), "the expiry of a claimed entry closes nothing");
            assertFalse(accepted.isClosed());
            accepted.getOutputStream().write('x');
            assertEquals('x', peer.getInputStream().read(), "the peer's connection still carries bytes");
            accepted.close();
        }
    }

    @Test
    void whatNobodyClaimsIsClosedAfterTheGracePeriodAndThePeerSeesTheClose() throws Exception {
        try (ServerSocket listener = listener(); Socket peer = new Socket()) {
            peer.connect(listener.getLocalSocketAddress());
            Socket accepted = listener.accept();
            lot.park("k", List.of(listener, accepted), Map.of());
            assertEquals(List.of("k"), lot.keys());
            scheduled.get(0).run();
            assertTrue(listener.isClosed());
            assertTrue(accepted.isClosed());
            assertNull(lot.claim("k"));
            InputStream in = peer.getInputStream();
            assertEquals(-1, in.read(), "the peer reads the end of the stream");
        }
    }

    @Test
    void anOldExpiryLeavesALaterParkUnderTheSameKeyAlone() throws Exception {
        try (ServerSocket first = listener(); ServerSocket second = listener()) {
            lot.park("k", List.of(first), Map.of("n", 1));
            assertTrue(lot.claim("k") != null);
            lot.park("k", List.of(second), Map.of("n", 2));
            scheduled.get(0).run();
            assertFalse(second.isClosed(), "the first park's expiry does not touch the second");
            assertEquals(2, lot.claim("k").get("n"));
        }
    }

    @Test
    void parkingAgainClosesTheOldEntryAndStoppingClosesEverything() throws Exception {
        try (ServerSocket first = listener(); ServerSocket second = listener(); ServerSocket late = listener()) {
            lot.park("k", List.of(first), Map.of());
            lot.park("k", List.of(second), Map.of());
            assertTrue(first.isClosed(), "replaced by a second park under the same key");
            lot.closeAll();
            assertTrue(second.isClosed());
            lot.park("j", List.of(late), Map.of());
            assertTrue(late.isClosed(), "a park after the service stopped closes at once");
            assertNull(lot.claim("j"));
        }
    }

    private static ServerSocket listener() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }
}
