package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.ASCIIChannel;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.channel.PostChannel;
import org.jpos.iso.packager.ISO87APackager;
import org.junit.jupiter.api.Test;

/**
 * jPOS 2.1.10 channels (test-only peer) talk to iso8583.server → codec decode → responder →
 * codec encode → server, wired in plain Java, with jPOS's ISO87APackager on the wire.
 * ASCIIChannel: 4-digit ASCII length. PostChannel: 2-byte binary length, no header. NACChannel:
 * 2-byte binary length followed by a 5-byte TPDU header.
 */
class JposChannelInteropTest {

    private static void exchange(IssuerChain issuer, BaseChannel channel, String tpduHex) throws Exception {
        channel.connect();
        try {
            for (int i = 1; i <= 20; i++) {
                ISOMsg m = new ISOMsg("0200");
                m.set(2, "4111111111111111");
                m.set(3, "000000");
                boolean big = i % 4 == 0;
                m.set(4, big ? "000000200000" : String.format("%012d", 100 * i));
                m.set(7, "1127013000");
                m.set(11, String.format("%06d", i));
                m.set(12, "013000");
                m.set(13, "1127");
                m.set(37, String.format("%012d", 4200 + i));
                m.set(41, "TERM0001");
                m.set(42, "MERCHANT0000001");
                m.set(49, "978");
                if (tpduHex != null) {
                    m.setHeader(HexFormat.of().parseHex(tpduHex));
                }
                channel.send(m);
                ISOMsg r = channel.receive();
                assertEquals("0210", r.getMTI());
                assertEquals(String.format("%06d", i), r.getString(11));
                assertEquals(m.getString(4), r.getString(4));
                assertEquals(m.getString(37), r.getString(37));
                assertEquals("TERM0001", r.getString(41));
                assertEquals(big ? "51" : "00", r.getString(39));
                assertEquals(!big, r.hasField(38), "38 only when approved");
                if (!big) {
                    assertTrue(r.getString(38).matches("[0-9]{6}"));
                }
                assertFalse(r.hasField(52));
                if (tpduHex != null) {
                    // jPOS swaps the TPDU's destination and source addresses when it sends (60 0012 0034 goes on the wire
                    // as 60 0034 0012); the server keeps the wire header and echoes it byte for byte.
                    assertEquals("6000340012", issuer.lastRequestHeader, "TPDU on the wire");
                    assertEquals(issuer.lastRequestHeader, HexFormat.of().withUpperCase().formatHex(r.getHeader()), "TPDU echoed");
                }
            }
        } finally {
            channel.disconnect();
        }
    }

    @Test
    void asciiChannelWithFourDigitAsciiLength() throws Exception {
        try (IssuerChain issuer = new IssuerChain("iso87ascii", Map.of("framing", "ascii4"), Map.of())) {
            exchange(issuer, new ASCIIChannel("127.0.0.1", issuer.port(), new ISO87APackager()), null);
            assertEquals(20, issuer.server.counters().framesOut());
        }
    }

    @Test
    void postChannelWithTwoByteBinaryLength() throws Exception {
        try (IssuerChain issuer = new IssuerChain("iso87ascii", Map.of("framing", "binary2"), Map.of())) {
            exchange(issuer, new PostChannel("127.0.0.1", issuer.port(), new ISO87APackager()), null);
            assertEquals(20, issuer.server.counters().framesOut());
        }
    }

    @Test
    void nacChannelWithTwoByteBinaryLengthAndTpduHeader() throws Exception {
        try (IssuerChain issuer = new IssuerChain("iso87ascii", Map.of("framing", "binary2", "header_bytes", 5), Map.of())) {
            byte[] tpdu = HexFormat.of().parseHex("6000120034");
            exchange(issuer, new NACChannel("127.0.0.1", issuer.port(), new ISO87APackager(), tpdu), "6000120034");
            assertEquals(20, issuer.server.counters().framesOut());
        }
    }
}
