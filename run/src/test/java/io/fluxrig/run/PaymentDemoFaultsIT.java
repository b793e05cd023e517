package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment-switch demo under faults, with its real processes (nats-server, the issuer, racks
 * edge and core, iso send) started through {@code run/fluxrig demo}:
 * <ul>
 *   <li>{@code --chaos} restarts rack core, then nats-server, during a paced load: every request
 *       is answered (approved, declined by the issuer, or declined 96 by the switch) within the
 *       terminal's timeout, none twice, none lost;
 *   <li>the 96 paths, each on a terminal's own connection while another terminal is answered
 *       normally: the issuer timing out, the issuer failing (HTTP 500), the issuer unreachable
 *       (its process stopped), and a request the JSON mapping refuses.
 * </ul>
 */
class PaymentDemoFaultsIT {
    static final DateTimeFormatter MMDDHHMMSS = DateTimeFormatter.ofPattern("MMddHHmmss");
    static final String SLOW_PAN = "4761730000000011";
    static final String FAILING_PAN = "4761730000000029";
    static final String GOOD_PAN = "4761731234567897";

    @TempDir
    Path data;

    @Test
    void chaosRestartsOfCoreAndNatsLeaveEveryRequestAnsweredOrDeclinedInTime() throws Exception {
        // Paced so the load outlasts both restarts (a rack JVM start takes tens of seconds on a busy CI machine).
        int count = 3600;
        String base = basePort();
        Supervisor.Result run = Fluxrig.run(new byte[0], Duration.ofMinutes(10), "demo", "--chaos", "--count",
                Integer.toString(count), "--connections", "20", "--rate", "40", "--data", data.toString(), "--base-port", base);
        String all = run.out() + "\n" + run.stderr();
        assertTrue(run.stderr().contains("demo --chaos: core is back"), "core was restarted during the load: " + all);
        assertTrue(run.stderr().contains("demo --chaos: nats is back"), "nats-server was restarted during the load: " + all);
        Matcher m = PaymentDemoIT.SUMMARY.matcher(run.out());
        assertTrue(m.find(), all);
        assertEquals(count, Long.parseLong(m.group(1)), "sent: " + all);
        assertEquals(count, Long.parseLong(m.group(2)), "every request answered in time: " + all);
        for (int g = 6; g <= 9; g++) {
            assertEquals(0, Long.parseLong(m.group(g)), "timed-out, mismatched, late, lost must be 0: " + all);
        }
        // Answers are the issuer's decisions or the switch's explicit 96, nothing else.
        Map<String, Long> codes = new TreeMap<>();
        for (String kv : m.group(5).trim().split(" ")) {
            if (!kv.isEmpty()) {
                codes.put(kv.substring(0, kv.indexOf(':')), Long.parseLong(kv.substring(kv.indexOf(':') + 1)));
            }
        }
        assertTrue(Set.of("05", "51", "96").containsAll(codes.keySet()), "declines: " + codes + "\n" + all);
        assertEquals(0, run.exit(), all);
        assertTrue(run.out().contains("demo OK: all " + count + " requests answered"), all);
    }

    @Test
    void theSwitchDeclines96WhenTheIssuerTimesOutFailsOrIsGoneAndWhenARequestCannotBeMapped() throws Exception {
        String base = basePort();
        int isoPort = Integer.parseInt(base) + 2;
        Supervisor.Result started = Fluxrig.run(new byte[0], Duration.ofMinutes(6), "demo", "--keep", "--count", "20",
                "--connections", "2", "--data", data.toString(), "--base-port", base, "--slow", SLOW_PAN, "--slow-ms", "6000",
                "--fail", FAILING_PAN);
        try {
            assertEquals(0, started.exit(), started.out() + started.stderr());
            IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
            try (Terminal a = new Terminal(isoPort, codec, "T0000091"); Terminal b = new Terminal(isoPort, codec, "T0000092")) {
                // Control: a good card is approved while the other terminal waits on the slow issuer.
                a.send(request("000001", SLOW_PAN, "978"));
                b.send(request("000001", GOOD_PAN, "978"));
                assertAnswer(b.receive(), "000001", "T0000092", "00");
                // json.http gives up after 2 s (request.timeout.ms), core's system-error declines 96.
                assertAnswer(a.receive(), "000001", "T0000091", "96");

                // HTTP 500 from the issuer.
                a.send(request("000002", FAILING_PAN, "978"));
                assertAnswer(a.receive(), "000002", "T0000091", "96");

                // A currency the mapping does not know: refused at the edge, answered 96 there.
                b.send(request("000002", GOOD_PAN, "999"));
                assertAnswer(b.receive(), "000002", "T0000092", "96");

                // The issuer's process stopped: connection refused, declined 96.
                stopIssuer();
                a.send(request("000003", GOOD_PAN, "978"));
                b.send(request("000003", GOOD_PAN, "978"));
                assertAnswer(a.receive(), "000003", "T0000091", "96");
                assertAnswer(b.receive(), "000003", "T0000092", "96");
            }
        } finally {
            Fluxrig.run(new byte[0], Duration.ofMinutes(2), "demo", "--stop", "--data", data.toString());
        }
    }

    /** Stops the demo's issuer with SIGTERM, as an operator would, and waits for it to end. */
    private void stopIssuer() throws Exception {
        // DATA/pids: one line per start, "name pid start-instant".
        String pid = Files.readAllLines(data.resolve("pids")).stream().filter(l -> l.startsWith("issuer ")).findFirst()
                .orElseThrow().split("\\s+")[1];
        ProcessHandle issuer = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        issuer.destroy();
        issuer.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A 0100 authorisation request as a POS terminal sends it. */
    static IsoMessage request(String stan, String pan, String currency) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String ts = now.format(MMDDHHMMSS);
        Map<Integer, Object> f = new TreeMap<>();
        f.put(2, pan);
        f.put(3, "000000");
        f.put(4, "000000001000");
        f.put(7, ts);
        f.put(11, stan);
        f.put(12, ts.substring(4));
        f.put(13, ts.substring(0, 4));
        f.put(14, "2812");
        f.put(18, "5411");
        f.put(22, "051");
        f.put(25, "00");
        f.put(37, "0091" + stan + "00");
        f.put(41, "T00000XX");
        f.put(42, "FLUXRIGMERCH001");
        f.put(49, currency);
        return new IsoMessage("0100", f);
    }

    static void assertAnswer(IsoMessage r, String stan, String terminal, String code) {
        assertNotNull(r, "no answer for STAN " + stan + " on terminal " + terminal);
        assertEquals("0110", r.mti(), r.toString());
        assertEquals(stan, r.get(11), r.toString());
        assertEquals(terminal, r.get(41), "answered on its own connection: " + r);
        assertEquals(code, r.get(39), r.toString());
    }

    /** One terminal: its own TCP connection, binary2 framing, iso87ascii. */
    static final class Terminal implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final IsoCodec codec;
        final String tid;

        Terminal(int port, IsoCodec codec, String tid) throws Exception {
            this.socket = new Socket("127.0.0.1", port);
            // Longer than any 96 path takes (the edge's deadline is 4 s), shorter than the test's patience.
            socket.setSoTimeout(15_000);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.codec = codec;
            this.tid = tid;
        }

        void send(IsoMessage m) throws Exception {
            Map<Integer, Object> f = new TreeMap<>(m.fields());
            f.put(41, tid);
            socket.getOutputStream().write(Framing.BINARY2.frame(new byte[0], codec.encode(new IsoMessage(m.mti(), f))));
        }

        IsoMessage receive() throws Exception {
            byte[] frame = Framing.BINARY2.read(in, 0, Framing.BINARY2.maxLength());
            return frame == null ? null : codec.decode(frame);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    /** A base port P with P..P+6 free (the demo's --base-port layout). */
    private static String basePort() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = Fluxrig.freePort();
            if (p > 60000) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < 7 && free; i++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(p + i, 50, java.net.InetAddress.getLoopbackAddress())) {
                    free = s.isBound();
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return Integer.toString(p);
            }
        }
        throw new IllegalStateException("no 7 consecutive free ports");
    }
}
