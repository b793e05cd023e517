package io.fluxrig.msg.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Every kind of rejection, with the offset and the reason it reports. */
class CborRejectionTest {
    private static final String ID = "626964" + "d825" + "50" + "019d3f2a6b1c7e429a5d3c8e1f0b7a64"; // bytes 1..22
    private static final String TS = "627473" + "01"; // bytes 23..26, value at 26
    private static final String MINIMAL = "a2" + ID + TS; // 27 bytes
    private static final int VALUE = 35; // offset of the value in dataX(...)

    /** An envelope {"id", "ts", "data": {"x": value}} with the value at offset 35. */
    private static String dataX(String value) {
        return "a3" + ID + TS + "6464617461" + "a16178" + value;
    }

    private static void reject(String hex, int offset, String reason) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        CborException e = assertThrows(CborException.class, () -> FluxMsgCbor.standard().decode(b), hex);
        assertEquals(reason, e.reason(), hex);
        assertEquals(offset, e.offset(), hex);
        assertEquals("offset " + offset + ": " + reason, e.getMessage());
    }

    @Test
    void acceptsTheBaseEnvelopes() throws Exception {
        FluxMsgCbor.standard().decode(HexFormat.of().parseHex(MINIMAL));
        FluxMsgCbor.standard().decode(HexFormat.of().parseHex(dataX("01")));
    }

    @Test
    void framing() {
        reject("", 0, "unexpected end of input");
        reject(MINIMAL + "00", 27, "1 trailing bytes after the envelope");
        reject("80", 0, "envelope must be a map, found array");
        reject("bf" + ID + TS + "ff", 0, "indefinite-length map not allowed");
        reject(MINIMAL.substring(0, 40), 6, "declared length 16 exceeds the 13 bytes remaining");
        reject("a2" + ID + "627473" + "19", 26, "truncated head: needs 2 more bytes, 0 remain");
        reject("a2" + ID + "627473" + "1c", 26, "reserved additional information 28");
    }

    @Test
    void keys() {
        reject("a2" + TS + ID, 5, "map key \"id\" out of canonical order");
        reject("a3" + ID + TS + TS, 27, "duplicate map key \"ts\"");
        reject("a3" + ID + TS + "6378797a" + "01", 27, "unknown envelope key \"xyz\"");
        reject("a3" + ID + TS + "01" + "01", 27, "map key must be a text string, found unsigned integer");
        reject("a1" + TS, 0, "missing required key \"id\"");
        reject("a1" + ID, 0, "missing required key \"ts\"");
        reject("a3" + ID + TS + "6464617461" + "a2" + "6162" + "01" + "6161" + "02", 36,
                "map key \"a\" out of canonical order");
        // Shorter keys sort first even when bytewise larger: "b" < "aa".
        reject("a3" + ID + TS + "6464617461" + "a2" + "626161" + "01" + "6162" + "02", 37,
                "map key \"b\" out of canonical order");
    }

    @Test
    void shortestForms() {
        reject("a2" + ID + "627473" + "1801", 26, "non-shortest head: 1 encoded in 2 bytes");
        reject("a2" + ID + "627473" + "1900ff", 26, "non-shortest head: 255 encoded in 3 bytes");
        reject("a2" + ID + "627473" + "1a0000ffff", 26, "non-shortest head: 65535 encoded in 5 bytes");
        reject("a2" + ID + "627473" + "1b00000000ffffffff", 26, "non-shortest head: 4294967295 encoded in 9 bytes");
        reject("b802" + ID + TS, 0, "non-shortest head: 2 encoded in 2 bytes");
        reject(dataX("7801" + "61"), VALUE, "non-shortest head: 1 encoded in 2 bytes");
        reject(dataX("fa3fc00000"), VALUE, "float32 1.5 not in shortest form (fits float16)");
        reject(dataX("fb3ff8000000000000"), VALUE, "float64 1.5 not in shortest form (fits a shorter float)");
        reject(dataX("fb40f86a0000000000"), VALUE, "float64 100000.0 not in shortest form (fits a shorter float)");
        reject(dataX("f97e01"), VALUE, "NaN must be encoded as f97e00");
        reject(dataX("fa7fc00000"), VALUE, "NaN must be encoded as f97e00");
        reject(dataX("fb7ff8000000000000"), VALUE, "NaN must be encoded as f97e00");
        reject(dataX("c48200c2480100000000000000"), VALUE + 4, "bignum of 8 bytes must be written as a plain integer");
        reject(dataX("c48200c249000100000000000000"), VALUE + 4, "bignum has a leading zero byte");
    }

    @Test
    void indefiniteLengths() {
        reject(dataX("9f01ff"), VALUE, "indefinite-length array not allowed");
        reject(dataX("7f6161ff"), VALUE, "indefinite-length text string not allowed");
        reject(dataX("5f4101ff"), VALUE, "indefinite-length byte string not allowed");
        reject(dataX("ff"), VALUE, "unexpected break (ff)");
    }

    @Test
    void textAndTypes() {
        reject(dataX("62c328"), VALUE + 1, "invalid UTF-8 in text string starting at offset 35");
        reject(dataX("63eda080"), VALUE + 1, "invalid UTF-8 in text string starting at offset 35");
        reject(dataX("c100"), VALUE, "unsupported tag 1 in data");
        reject(dataX("d82550" + "00".repeat(16)), VALUE, "unsupported tag 37 in data");
        reject(dataX("f7"), VALUE, "unsupported simple value 23");
        reject(dataX("f820"), VALUE, "unsupported simple value 32");
        reject(dataX("e0"), VALUE, "unsupported simple value 0");
        reject(dataX("1bffffffffffffffff"), VALUE,
                "data: integer 18446744073709551615 is outside the 64-bit signed range");
        reject(dataX("3b8000000000000000"), VALUE,
                "data: integer -1-9223372036854775808 is outside the 64-bit signed range");
        reject(dataX("c48301020304"), VALUE + 1, "tag 4 must hold [exponent, mantissa], found 3 elements");
        reject(dataX("c4826161" + "01"), VALUE + 2, "decimal exponent must be an integer, found text string");
        reject(dataX("c4821a80000001" + "01"), VALUE + 2, "decimal exponent out of range (scale must fit 32 bits)");
        reject(dataX("c48200f93c00"), VALUE + 3, "decimal mantissa must be an integer or bignum, found simple value or float");
    }

    @Test
    void envelopeFieldTypes() {
        reject("a2" + "626964" + "50" + "00".repeat(16) + TS, 4, "\"id\" must be tag 37 (UUID), found byte string");
        reject("a2" + "626964" + "d825" + "4f" + "00".repeat(15) + TS, 6, "UUID in \"id\" must be 16 bytes, found 15");
        reject("a2" + ID + "627473" + "6131", 26, "\"ts\" must be an integer, found text string");
        reject("a3" + ID + TS + "63737263" + "01", 31, "\"src\" must be a text string, found unsigned integer");
        reject("a3" + ID + TS + "657472616365" + "6178", 33, "\"trace\" is not a W3C traceparent: \"x\"");
        reject("a3" + ID + TS + "646d657461" + "a0", 32, "empty \"meta\" must be omitted");
        reject("a3" + ID + TS + "6464617461" + "a0", 32, "empty \"data\" must be omitted");
        reject("a3" + ID + TS + "6470617468" + "80", 32, "empty \"path\" must be omitted");
        reject("a3" + ID + TS + "646d657461" + "a1617801", 35, "meta value of \"x\" must be a text string, found unsigned integer");
        reject("a3" + ID + TS + "6470617468" + "81" + "82" + "6172" + "6167", 33, "hop 0 must be [rack, gear, ts], found 2 elements");
        reject("a3" + ID + TS + "63726177" + "6178", 31, "\"raw\" must be a byte string, found text string");
    }
}
