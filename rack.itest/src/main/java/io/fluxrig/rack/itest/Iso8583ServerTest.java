package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.itest.probe.HoldGear;
import io.fluxrig.testsupport.Await;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * An issuer host in one rack, configured only by its patch: iso8583.server → codec decode →
 * responder → codec encode → back to the server, which answers each terminal on its own TCP
 * connection (2-byte length framing), as a POS terminal sees it, also while gear.iso8583 is replaced.
 */
@ExtendWith(BundleContextExtension.class)
class Iso8583ServerTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void terminalsGetTheirOwnAnswersOverTcp() throws Exception {
        int port = RackUnderTest.freePort();
        new RackUnderTest(context).writePatch(RackUnderTest.issuerPatch("host", port, "decline.amount.over: 10000"));
        RackUnderTest.awaitListening(port);

        // Two terminals, each on its own connection: one under the limit (00), one over it (51).
        try (Socket t1 = new Socket("127.0.0.1", port); Socket t2 = new Socket("127.0.0.1", port)) {
            t1.setSoTimeout(10_000);
            t2.setSoTimeout(10_000);
            send(t1, IsoSamples.AUTH_0200.replace("000000012345", "000000009999"));
            send(t2, IsoSamples.AUTH_0200.replace("000123", "000456"));
            String r2 = receive(t2);
            String r1 = receive(t1);
            assertTrue(r1.startsWith("0210"), r1);
            assertTrue(r2.startsWith("0210"), r2);
            assertTrue(r1.contains("000123") && !r1.contains("000456"), "t1 got its own answer: " + r1);
            assertTrue(r2.contains("000456") && !r2.contains("000123"), "t2 got its own answer: " + r2);
            assertEquals("00", field39(r1), r1);
            assertEquals("51", field39(r2), r2);
        }
    }

    /**
     * Replacing gear.iso8583 under a terminal's open connection (Bundle.update from a file, as
     * FileInstall and a rollout do): the terminal never sees a close, and the request in flight
     * during the update and one sent while no server instance exists are each answered once, on
     * that connection. Deleting the server instance afterwards still closes its connections.
     */
    @Test
    void aTerminalKeepsItsConnectionAndItsAnswersWhileGearIso8583IsReplaced() throws Exception {
        int port = RackUnderTest.freePort();
        RackUnderTest rack = new RackUnderTest(context);
        String swap = """
                gears:
                  swap-tcp: { type: iso8583.server, config: { port: %d, framing: binary2 } }
                  swap-dec: { type: iso8583.codec, config: { direction: decode } }
                  swap-hold: { type: hold }
                  swap-issuer: { type: iso8583.responder }
                  swap-enc: { type: iso8583.codec, config: { direction: encode } }
                links:
                  - swap-tcp.out -> swap-dec.in
                  - swap-dec.out -> swap-hold.in
                  - swap-hold.out -> swap-issuer.in
                  - swap-issuer.out -> swap-enc.in
                  - swap-enc.out -> swap-tcp.in
                """.formatted(port);
        rack.writePatch(swap);
        HoldGear hold = rack.gear("swap-hold", HoldGear.class);
        Bundle iso = rack.bundle("io.fluxrig.gear.iso8583").orElseThrow();
        try (Socket terminal = connect(port)) {
            send(terminal, withStan("000201"));
            assertTrue(receive(terminal).contains("000201"), "the chain answers before the update");

            // A request in flight: read by the server, held further on (as on a wire to another rack).
            hold.hold();
            send(terminal, withStan("000202"));
            Await.until("request 000202 in flight", () -> hold.held() == 1);
            Object serverBefore = rack.reference("swap-tcp", Gear.class).getProperty("service.id");

            // Between the old revision's stop and the new one's start, no server instance exists:
            // the terminal sends then, its bytes wait in the socket's buffer.
            List<Exception> failed = new CopyOnWriteArrayList<>();
            SynchronousBundleListener duringSwap = e -> {
                if (e.getBundle().equals(iso) && e.getType() == BundleEvent.UPDATED) {
                    try {
                        send(terminal, withStan("000203"));
                    } catch (Exception x) {
                        failed.add(x);
                    }
                }
            };
            context.addBundleListener(duringSwap);
            try (InputStream jar = Files.newInputStream(Path.of(context.getProperty("fluxrig.itest.gear.iso8583.jar")))) {
                iso.update(jar);
            } finally {
                context.removeBundleListener(duringSwap);
            }
            assertEquals(List.of(), failed, "the terminal could send while the bundle was replaced");
            Await.until("a new server instance", () -> {
                ServiceReference<Gear> now = rack.reference("swap-tcp", Gear.class);
                return now != null && !serverBefore.equals(now.getProperty("service.id"));
            });
            Await.until("request 000203 read by the new instance", () -> hold.held() == 2);
            hold.release();

            List<String> answers = List.of(receive(terminal), receive(terminal));
            assertEquals(1, answers.stream().filter(a -> a.contains("000202")).count(), "the in-flight request answered once: " + answers);
            assertEquals(1, answers.stream().filter(a -> a.contains("000203")).count(), "the request sent during the update answered once: " + answers);
            // The next answer on the connection is the next request's: nothing was duplicated before it.
            send(terminal, withStan("000204"));
            String next = receive(terminal);
            assertTrue(next.contains("000204"), next);

            // A deleted configuration (the instance left the patch) closes its connections, as before.
            rack.writePatch("""
                    gears:
                      swap-hold: { type: hold }
                    """);
            assertEquals(-1, terminal.getInputStream().read(), "the server closed the connection");
        }
    }

    /**
     * Taking gear.iso8583 out of the rack (Bundle.uninstall, as FileInstall does when its jar
     * leaves gears/) rather than replacing it: no next instance will claim the connections, so the
     * server closes them at once instead of parking them for the hand-over's grace period (30 s
     * here, longer than the terminal's 20 s read timeout: a parked connection would fail the read
     * with a timeout, not end it). The bundle is installed again afterwards for the other tests.
     */
    @Test
    void aTerminalSeesTheCloseAtOnceWhenGearIso8583IsUninstalled() throws Exception {
        int port = RackUnderTest.freePort();
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch(RackUnderTest.issuerPatch("gone", port, ""));
        Bundle iso = rack.bundle("io.fluxrig.gear.iso8583").orElseThrow();
        String location = iso.getLocation();
        try (Socket terminal = connect(port)) {
            send(terminal, withStan("000301"));
            assertTrue(receive(terminal).contains("000301"), "the chain answers before the bundle leaves");

            iso.uninstall();
            assertEquals(-1, terminal.getInputStream().read(), "the server closed the connection when its bundle left");
            Await.until("port " + port + " released", () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return false;
                } catch (java.io.IOException refused) {
                    return true;
                }
            });
        } finally {
            if (rack.bundle("io.fluxrig.gear.iso8583").isEmpty()) {
                // Through the system bundle's context: a bundle installed through the injected
                // context belongs to this test and is uninstalled when it ends, leaving the test
                // classes after it without gear.iso8583.
                try (InputStream jar = Files.newInputStream(Path.of(context.getProperty("fluxrig.itest.gear.iso8583.jar")))) {
                    context.getBundle(0).getBundleContext().installBundle(location, jar).start();
                }
            }
        }
    }

    private static Socket connect(int port) throws Exception {
        RackUnderTest.awaitListening(port);
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }

    private static String withStan(String stan) {
        return IsoSamples.AUTH_0200.replace("000123", stan);
    }

    private static void send(Socket s, String message) throws Exception {
        byte[] body = message.getBytes(StandardCharsets.US_ASCII);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(body.length);
        out.write(body);
        out.flush();
    }

    private static String receive(Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        return new String(body, StandardCharsets.US_ASCII);
    }

    /** Field 39 sits right after 38 (6) when approved; the responder echoes fields in order. */
    private static String field39(String response) {
        // The response of an approval carries 38 (6 chars) then 39 (2); a decline has no 38. Both
        // end with 41 (8), 42 (15), 49 (3) echoed: 39 is found just before "TERM0001".
        int at = response.indexOf("TERM0001");
        return response.substring(at - 2, at);
    }
}
