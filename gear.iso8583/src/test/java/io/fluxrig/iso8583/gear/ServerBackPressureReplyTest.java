package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** iso8583.server with reject.dialect: a request the downstream refuses is declined at once, 39=96, on its own connection. */
class ServerBackPressureReplyTest {
    private static final IsoCodec CODEC = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
    private ServerGear server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    static IsoMessage request(String mti, String stan) {
        Map<Integer, Object> f = new TreeMap<>();
        f.put(2, "4111111111111111");
        f.put(3, "000000");
        f.put(4, "000000012345");
        f.put(7, "1127031205");
        f.put(11, stan);
        f.put(12, "031205");
        f.put(13, "1127");
        f.put(22, "051");
        f.put(37, "633112" + stan);
        f.put(41, "TERM0001");
        f.put(42, "MERCHANT0000001");
        f.put(49, "978");
        return new IsoMessage(mti, f);
    }

    @Test
    void refusedRequestIsDeclinedAtOnceWithTheEchoedFields() throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0, "reject_dialect", "iso87ascii")));
        RecordingContext ctx = new RecordingContext("srv").beforeEmit((port, msg) -> {
            if (full.get()) {
                throw new BackPressureException("link srv.out -> dec.in full for 50 ms");
            }
        });
        ctx.route(Gear.PORT_OUT, msg -> server.onMessage("in", msg.derive().raw("OK".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build(), ctx));
        server.open(ctx);
        try (Socket s = new Socket("127.0.0.1", server.localPort())) {
            s.setSoTimeout(20_000);
            IsoMessage req = request("0100", "000042");
            s.getOutputStream().write(Framing.BINARY2.frame(new byte[0], CODEC.encode(req)));
            IsoMessage resp = CODEC.decode(Framing.BINARY2.read(s.getInputStream(), 0, 65535));
            assertEquals("0110", resp.mti());
            assertEquals("96", resp.get(39));
            for (int n : new int[] {3, 4, 7, 11, 12, 13, 37, 41, 42, 49}) {
                assertEquals(req.get(n), resp.get(n), "field " + n + " echoed");
            }
            assertNull(resp.get(2), "the PAN is not echoed");
            assertNull(resp.get(22));
            // Counted after the write returns, so possibly a moment after the peer read it.
            Await.until("decline counted", () -> server.counters().declined() == 1);
            ServerCounters c = server.counters();
            assertEquals(1, c.rejected());
            assertEquals(1, c.framesOut());

            // Not decodable as iso87ascii: counted and dropped as before, nothing written.
            s.getOutputStream().write(Framing.BINARY2.frame(new byte[0], "garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            Await.until("undecodable request counted", () -> server.counters().rejected() == 2);
            assertEquals(1, server.counters().declined());
            // A response MTI is not answered either.
            s.getOutputStream().write(Framing.BINARY2.frame(new byte[0], CODEC.encode(request("0110", "000043"))));
            Await.until("response MTI counted", () -> server.counters().rejected() == 3);

            // The connection still works once the downstream takes requests again; the next frame
            // read is the answer to this request (nothing was written for the two dropped ones).
            full.set(false);
            s.getOutputStream().write(Framing.BINARY2.frame(new byte[0], CODEC.encode(request("0200", "000044"))));
            byte[] next = Framing.BINARY2.read(s.getInputStream(), 0, 65535);
            assertEquals("OK", new String(next, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1, server.counters().connectionsOpen());
        }
    }

    @Test
    void badRejectSettingsAreRefusedNamingTheAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServerGear(Configs.of(ServerConfig.class, Map.of("reject_dialect", "iso99"))));
        assertTrue(e.getMessage().contains("reject.dialect"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ServerGear(Configs.of(ServerConfig.class,
                Map.of("reject_dialect", "iso87ascii", "reject_response_code", "9999"))));
        assertTrue(e.getMessage().contains("reject.response.code"), e.getMessage());
    }

    @Test
    void withoutRejectDialectNothingIsSent() throws IOException {
        assertNull(ServerSettings.of(Configs.of(ServerConfig.class, Map.of())).reject());
    }
}
