package io.fluxrig.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.bench.fault.TerminalFleet.Fate;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fault run's terminal against an edge stand-in in this JVM (no process): it answers two
 * requests per connection and closes the connection on the third without answering (an edge
 * killed with a request in flight); after its second connection it stops listening (the edge is
 * down). One terminal, no rate, one request outstanding: each step follows the previous one's
 * observable end (an answer, a closed connection), so the outcome is exact.
 */
class TerminalFleetTest {
    private static final IsoCodec CODEC = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));

    /** Serves {@code connections} connections one after the other, then closes its port. */
    private static Thread edge(ServerSocket server, int connections) {
        Thread t = new Thread(() -> {
            try (server) {
                for (int c = 0; c < connections; c++) {
                    try (Socket s = server.accept()) {
                        if (c == connections - 1) {
                            server.close(); // down: the terminal's next connect is refused
                        }
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        for (int k = 0; k < 2; k++) {
                            IsoMessage req = CODEC.decode(Framing.BINARY2.read(in, 0, Framing.BINARY2.maxLength()));
                            Map<Integer, Object> f = new TreeMap<>();
                            for (int field : new int[] {11, 37, 41}) {
                                f.put(field, req.get(field));
                            }
                            f.put(39, "00");
                            out.write(Framing.BINARY2.frame(new byte[0], CODEC.encode(new IsoMessage("0210", f))));
                        }
                        Framing.BINARY2.read(in, 0, Framing.BINARY2.maxLength()); // the third: held, then the connection dies
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "edge-stand-in");
        t.start();
        return t;
    }

    @Test
    void aTerminalConnectsAgainAfterItsEdgeDiesAndKeepsCutApartFromNotSent() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread edge = edge(server, 2);
        TerminalFleet.Outcome out = new TerminalFleet(new TerminalFleet.Options(List.of(server.getLocalPort()), 8, 1, 0, 30_000, 100_000), CODEC)
                .run();
        edge.join();
        List<Fate> fates = out.requests().stream().map(TerminalFleet.Request::fate).toList();
        assertEquals(List.of(Fate.ANSWERED, Fate.ANSWERED, Fate.CUT, Fate.ANSWERED, Fate.ANSWERED, Fate.CUT, Fate.NOT_SENT, Fate.NOT_SENT), fates);
        assertEquals(1, out.reconnects());
        assertEquals("T0000001|100001|000000100000", out.requests().get(0).key(), "numbered from firstSeq: STAN seq+1, RRN terminal + seq");
        FaultChecker.Tally t = FaultChecker.tally(out.requests(), out.strayFrames(), Map.of(), Map.of());
        assertEquals(6, t.sent());
        assertEquals(2, t.notSent());
        assertEquals(4, t.answered());
        assertEquals(2, t.lost());
        assertEquals(2, t.lostCut());
    }
}
