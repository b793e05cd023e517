package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.msg.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Named malformed inputs, each with its exact error: field, offset and reason. */
class RejectionTest {
    private final IsoCodec ascii = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
    private final IsoCodec binary = IsoCodec.of(Dialects.builtIn(Dialects.ISO87BINARY));

    private static String decodeError(IsoCodec codec, byte[] bytes) {
        return assertThrows(IsoException.class, () -> codec.decode(bytes)).getMessage();
    }

    private static byte[] a(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] h(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void prefixAboveTheFieldMaximum() {
        String track = "4".repeat(47);
        assertEquals("field 35: LL length 47 exceeds maximum 37 at offset 20",
                decodeError(ascii, a("0200" + "0000000020000000" + "47" + track)));
    }

    @Test
    void prefixAboveTheFieldMaximumDeeperInTheMessage() {
        IsoException e = assertThrows(IsoException.class, () -> ascii.decode(a("0200" + "7020000020000000" + "164111111111111111"
                + "000000" + "000000001000" + "000001" + "47" + "4".repeat(47))));
        assertEquals(35, e.field());
        assertEquals(62, e.offset()); // 4 MTI + 16 bitmap + 18 (2) + 6 (3) + 12 (4) + 6 (11)
        assertEquals("LL length 47 exceeds maximum 37", e.reason());
    }

    @Test
    void lengthBeyondTheInput() {
        assertEquals("field 2: length 16 needs 16 bytes but only 4 remain at offset 22",
                decodeError(ascii, a("0200" + "4000000000000000" + "16" + "4111")));
    }

    @Test
    void nonDigitPrefix() {
        assertEquals("field 2: LL prefix is not decimal digits at offset 20",
                decodeError(ascii, a("0200" + "4000000000000000" + "1A" + "4111")));
    }

    @Test
    void prefixCutShort() {
        assertEquals("field 2: LL prefix needs 2 bytes but only 1 remain at offset 20",
                decodeError(ascii, a("0200" + "4000000000000000" + "1")));
    }

    @Test
    void secondaryBitWithoutSecondaryBitmap() {
        assertEquals("bitmap: bitmap needs 16 bytes but only 0 remain at offset 20",
                decodeError(ascii, a("0200" + "8000000000000000")));
    }

    @Test
    void emptySecondaryBitmapIsNotCanonical() {
        assertEquals("bitmap: secondary bitmap announced by bit 1 but empty at offset 20",
                decodeError(ascii, a("0200" + "8000000000000000" + "0000000000000000")));
    }

    @Test
    void lowerCaseHexBitmap() {
        assertEquals("bitmap: not an upper-case hex digit at offset 4", decodeError(ascii, a("0200" + "a000000000000000")));
    }

    @Test
    void bitForAFieldTheDialectDoesNotDefine() throws Exception {
        MessageSpec small = Dialects.parse("{\"name\":\"small\",\"fields\":{\"3\":{\"type\":\"n\",\"length\":\"6\"}}}", false, "test");
        assertEquals("field 11: bit set but dialect small does not define the field at offset 26",
                decodeError(IsoCodec.of(small), a("0200" + "2020000000000000" + "000000" + "123456")));
    }

    @Test
    void invalidBcdNibble() {
        assertEquals("field 3: invalid BCD nibble 0xA at offset 11", decodeError(binary, h("0200" + "2000000000000000" + "123A56")));
    }

    @Test
    void padNibbleOtherThanDeclared() {
        assertEquals("field 2: BCD pad nibble 0xF where 0x0 is declared at offset 18",
                decodeError(binary, h("0200" + "4000000000000000" + "15" + "411111111111111F")));
    }

    @Test
    void truncatedTlv() {
        byte[] head = a("0200" + "0000000000000200" + "005");
        byte[] msg = new byte[head.length + 5];
        System.arraycopy(head, 0, msg, 0, head.length);
        System.arraycopy(h("9F26080102"), 0, msg, head.length, 5);
        assertEquals("field 55: truncated TLV: tag 9F26 length 8 exceeds the 2 bytes left at offset 26", decodeError(ascii, msg));
    }

    @Test
    void trailingBytes() {
        assertEquals("message: 3 trailing bytes after the last field at offset 26",
                decodeError(ascii, a("0200" + "2000000000000000" + "000000" + "XYZ")));
    }

    @Test
    void mtiNotDigitsAndEmptyInput() {
        assertEquals("mti: not 4 decimal digits at offset 0", decodeError(ascii, a("02X0" + "2000000000000000" + "000000")));
        assertEquals("mti: MTI needs 4 bytes but only 0 remain at offset 0", decodeError(ascii, new byte[0]));
        assertEquals("mti: MTI needs 2 bytes but only 1 remain at offset 0", decodeError(binary, new byte[1]));
    }

    @Test
    void offsetsCountFromTheMessageStartInsideALargerBuffer() {
        byte[] framed = a("XX0200" + "4000000000000000" + "1A");
        IsoException e = assertThrows(IsoException.class, () -> ascii.decode(framed, 2, framed.length - 2));
        assertEquals(20, e.offset());
    }

    @Test
    void encodeErrorsNameTheFieldButNotTheValue() {
        IsoException tooLong = assertThrows(IsoException.class,
                () -> ascii.encode(new IsoMessage("0200", Map.of(2, "4111111111111111111111"))));
        assertEquals("field 2: length 22 exceeds maximum 19", tooLong.getMessage());
        IsoException bcd = assertThrows(IsoException.class, () -> binary.encode(new IsoMessage("0200", Map.of(2, "41111X11"))));
        assertEquals("field 2: character at position 6 cannot be packed as BCD", bcd.getMessage());
        IsoException fixed = assertThrows(IsoException.class, () -> ascii.encode(new IsoMessage("0200", Map.of(52, Bytes.of(new byte[3])))));
        assertEquals("field 52: length 3 is shorter than the fixed length 8", fixed.getMessage());
        IsoException undefined = assertThrows(IsoException.class, () -> ascii.encode(new IsoMessage("0200", Map.of(129, "1"))));
        assertEquals("field 129: not a data field of dialect iso87ascii", undefined.getMessage());
        IsoException mti = assertThrows(IsoException.class, () -> ascii.encode(new IsoMessage("02000", Map.of(3, "000000"))));
        assertEquals("mti: must be 4 decimal digits", mti.getMessage());
        IsoException tlv = assertThrows(IsoException.class,
                () -> ascii.encode(new IsoMessage("0200", Map.of(55, List.of(Map.of("tag", "9F", "value", "00"))))));
        assertEquals("field 55: TLV item 0: tag must be the hex of one BER tag", tlv.getMessage());
    }

    @Test
    void encodePadsShortFixedValuesAsDeclared() throws Exception {
        byte[] bytes = ascii.encode(new IsoMessage("0200", Map.of(4, "1000", 41, "T1")));
        assertEquals("0200" + "1000000000800000" + "000000001000" + "T1      ", new String(bytes, StandardCharsets.ISO_8859_1));
        assertEquals("000000001000", ascii.decode(bytes).get(4));
    }
}
