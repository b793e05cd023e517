package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * An issuer host in one rack whose downstream pushes back: iso8583.server (reject.dialect
 * iso87ascii) → pushback probe (refuses requests from terminal PUSHBACK with
 * BackPressureException, as a full link or wire does) → codec → responder → codec → server. The
 * refused terminal gets an 0110 with 39=96 on its own connection at once, instead of waiting for
 * its timeout; the other terminal's connection keeps being served, and so does the refused one's
 * next request.
 */
@ExtendWith(BundleContextExtension.class)
class Iso8583BackPressureTest {
    /**
     * A 0100 laid out as the shared 0200 sample (fields 2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42,
     * 49), with the STAN (11, and the end of the RRN, 37) and the terminal id (41) chosen.
     */
    private static String auth0100(String stan, String terminal) {
        return "0100" + "7238000108C08000" + "16" + "4761739001010119" + "000000" + "000000012345" + "0131235959" + stan
                + "235959" + "0131" + "06" + "123456" + "000000" + stan + terminal + "MERCHANT0000001" + "840";
    }

    @InjectBundleContext
    BundleContext context;

    @Test
    void refusedRequestIsDeclinedWith96OnItsOwnConnection() throws Exception {
        int port = RackUnderTest.freePort();
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  bp-tcp: { type: iso8583.server, config: { port: %d, framing: binary2, reject.dialect: iso87ascii } }
                  bp-gate: { type: pushback, config: { marker: PUSHBACK } }
                  bp-dec: { type: iso8583.codec, config: { direction: decode } }
                  bp-issuer: { type: iso8583.responder }
                  bp-enc: { type: iso8583.codec, config: { direction: encode } }
                links:
                  - bp-tcp.out -> bp-gate.in
                  - bp-gate.out -> bp-dec.in
                  - bp-dec.out -> bp-issuer.in
                  - bp-issuer.out -> bp-enc.in
                  - bp-enc.out -> bp-tcp.in
                """.formatted(port));
        RackUnderTest.awaitListening(port);

        try (Socket served = new Socket("127.0.0.1", port); Socket refused = new Socket("127.0.0.1", port)) {
            served.setSoTimeout(10_000);
            refused.setSoTimeout(10_000);
            // Wait until the whole chain answers (every gear bound): while a gear is still starting
            // the server meets back-pressure too and would decline with 96 (retried, new STAN).
            String first = null;
            for (int stan = 100; stan < 130 && (first == null || !"00".equals(field39(first, "TERM0001"))); stan++) {
                send(served, auth0100("000" + stan, "TERM0001"));
                first = receive(served);
                assertTrue(first.startsWith("0110") && first.contains("000" + stan), first);
            }
            assertEquals("00", field39(first, "TERM0001"), "the chain never approved: " + first);

            send(refused, auth0100("000777", "PUSHBACK"));
            String decline = receive(refused);
            // MTI + 10; 3, 4, 7, 11, 12, 13, 37, 41, 42, 49 echoed; 39 = 96; no PAN (2) and no 32.
            assertEquals("0110" + "323800000AC08000" + "000000" + "000000012345" + "0131235959" + "000777" + "235959"
                    + "0131" + "000000000777" + "96" + "PUSHBACK" + "MERCHANT0000001" + "840", decline);

            // The other connection is still served, and so is the refused one's next request.
            send(served, auth0100("000124", "TERM0001"));
            String second = receive(served);
            assertTrue(second.startsWith("0110") && second.contains("000124"), second);
            assertEquals("00", field39(second, "TERM0001"), second);
            send(refused, auth0100("000778", "TERM0002"));
            String after = receive(refused);
            assertTrue(after.startsWith("0110") && after.contains("000778"), after);
            assertEquals("00", field39(after, "TERM0002"), after);
        }
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

    /** 39 (2 chars) comes right before 41, the terminal id, in the responder's answers. */
    private static String field39(String response, String terminal) {
        int at = response.indexOf(terminal);
        return response.substring(at - 2, at);
    }
}
