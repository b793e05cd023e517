package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-checked vectors per dialect: every byte of the wire form is written out below. */
class GoldenVectorTest {

    @Test
    void iso87ascii0200() throws Exception {
        String wire = "0200" + "7238000108C08000"              // fields 2,3,4,7,11,12,13,32,37,41,42,49
                + "16" + "4761739001010119" + "000000" + "000000012345" + "0131235959" + "000123" + "235959" + "0131"
                + "06" + "123456" + "000000000123" + "TERM0001" + "MERCHANT0000001" + "840";
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
        IsoMessage m = codec.decode(wire.getBytes(StandardCharsets.US_ASCII));
        assertEquals("0200", m.mti());
        assertEquals(List.of(2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49), List.copyOf(m.fields().keySet()));
        assertEquals("4761739001010119", m.get(2));
        assertEquals("000000012345", m.get(4));
        assertEquals("123456", m.get(32));
        assertEquals("TERM0001", m.get(41));
        assertEquals(wire, new String(codec.encode(m), StandardCharsets.US_ASCII));
    }

    @Test
    void iso87binary0800WithSecondaryBitmap() throws Exception {
        String hex = "0800" + "8220000000000000" + "0400000000000000"   // fields 1 (secondary), 7, 11, 70
                + "0131235959" + "000123" + "0301";
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87BINARY));
        IsoMessage m = codec.decode(HexFormat.of().parseHex(hex));
        assertEquals(new IsoMessage("0800", Map.of(7, "0131235959", 11, "000123", 70, "301")), m);
        assertEquals(hex, HexFormat.of().withUpperCase().formatHex(codec.encode(m)));
    }

    @Test
    void iso87binaryOddPanAndTrack() throws Exception {
        String hex = "0100" + "4000000020000000"                       // fields 2, 35
                + "15" + "4111111111111110"                            // 15 digits, right pad nibble 0
                + "23" + "4111111111111111D2512100";                   // 23 chars, '=' as nibble D, right pad 0
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87BINARY));
        IsoMessage m = codec.decode(HexFormat.of().parseHex(hex));
        assertEquals("411111111111111", m.get(2));
        assertEquals("4111111111111111=251210", m.get(35));
        assertEquals(hex, HexFormat.of().withUpperCase().formatHex(codec.encode(m)));
    }

    @Test
    void iso93ascii1100WithEmv() throws Exception {
        byte[] emv = HexFormat.of().parseHex("9F2608A1B2C3D4E5F60718" + "9F2701" + "80" + "DF81018102AABB");
        String head = "1100" + "7000000000000200"                    // fields 2, 3, 4, 55
                + "16" + "4761739001010119" + "000000" + "000000010000" + String.format("%03d", emv.length);
        byte[] wire = concat(head.getBytes(StandardCharsets.US_ASCII), emv);
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO93ASCII));
        IsoMessage m = codec.decode(wire);
        assertEquals(List.of(
                Map.of("tag", "9F26", "value", Bytes.fromHex("A1B2C3D4E5F60718")),
                Map.of("tag", "9F27", "value", Bytes.fromHex("80")),
                Map.of("tag", "DF8101", "value", Bytes.fromHex("AABB"), "length_bytes", 2L)), m.get(55));
        assertArrayEquals(wire, codec.encode(m));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
