package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
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
 * connection (2-byte length framing), as a POS terminal sees it.
 */
@ExtendWith(BundleContextExtension.class)
class Iso8583ServerTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void terminalsGetTheirOwnAnswersOverTcp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  host-tcp: { type: iso8583.server, config: { port: %d, framing: binary2 } }
                  host-dec: { type: iso8583.codec, config: { direction: decode } }
                  host-issuer: { type: iso8583.responder, config: { decline.amount.over: 10000 } }
                  host-enc: { type: iso8583.codec, config: { direction: encode } }
                links:
                  - host-tcp.out -> host-dec.in
                  - host-dec.out -> host-issuer.in
                  - host-issuer.out -> host-enc.in
                  - host-enc.out -> host-tcp.in
                """.formatted(port));
        Await.until("server listening on " + port, () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });

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
