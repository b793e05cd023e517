package io.fluxrig.msg.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** RFC 8949 Appendix A vectors for every item type a fluxMsg uses, both directions. */
class CborVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static String encodeValue(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeterministicGenerator g = new DeterministicGenerator.Factory().create(out)) {
            new CborEncoder(32).writeValue(g, value, 2, "v");
        }
        return HEX.formatHex(out.toByteArray());
    }

    static Object decodeValue(String hex) throws CborException {
        byte[] b = HEX.parseHex(hex);
        return new CborDecoder(b, 0, b.length, 32).standaloneValue();
    }

    private static void vector(Object value, String hex) throws Exception {
        assertEquals(hex, encodeValue(value), "encode " + value);
        assertEquals(value, decodeValue(hex), "decode " + hex);
    }

    @Test
    void integers() throws Exception {
        vector(0L, "00");
        vector(1L, "01");
        vector(10L, "0a");
        vector(23L, "17");
        vector(24L, "1818");
        vector(25L, "1819");
        vector(100L, "1864");
        vector(255L, "18ff");
        vector(256L, "190100");
        vector(1000L, "1903e8");
        vector(65535L, "19ffff");
        vector(65536L, "1a00010000");
        vector(1000000L, "1a000f4240");
        vector(4294967295L, "1affffffff");
        vector(4294967296L, "1b0000000100000000");
        vector(1000000000000L, "1b000000e8d4a51000");
        vector(Long.MAX_VALUE, "1b7fffffffffffffff");
        vector(-1L, "20");
        vector(-10L, "29");
        vector(-24L, "37");
        vector(-25L, "3818");
        vector(-100L, "3863");
        vector(-256L, "38ff");
        vector(-257L, "390100");
        vector(-1000L, "3903e7");
        vector(-65536L, "39ffff");
        vector(-65537L, "3a00010000");
        vector(-4294967296L, "3affffffff");
        vector(-4294967297L, "3b0000000100000000");
        vector(Long.MIN_VALUE, "3b7fffffffffffffff");
    }

    @Test
    void integersBeyondLongAsDecimalMantissas() throws Exception {
        // 2^64-1 and -2^64 are the extremes of major types 0/1 (A: 18446744073709551615 / -18446744073709551616);
        // as fluxMsg data they only occur as decimal mantissas: tag 4 [0, m].
        vector(new BigDecimal("18446744073709551615"), "c482001bffffffffffffffff");
        vector(new BigDecimal("-18446744073709551616"), "c482003bffffffffffffffff");
        vector(new BigDecimal("-9223372036854775809"), "c482003b8000000000000000");
        // A: 18446744073709551616 = c249010000000000000000, -18446744073709551617 = c349010000000000000000
        vector(new BigDecimal("18446744073709551616"), "c48200c249010000000000000000");
        vector(new BigDecimal("-18446744073709551617"), "c48200c349010000000000000000");
        // RFC 8949 §3.4.4: 273.15 = 4([-2, 27315])
        vector(new BigDecimal("273.15"), "c48221196ab3");
        vector(new BigDecimal("12.50"), "c482211904e2");
        vector(new BigDecimal("1E+3"), "c4820301");
        vector(new BigDecimal(java.math.BigInteger.ONE, Integer.MIN_VALUE), "c4821a8000000001");
    }

    @Test
    void floats() throws Exception {
        vector(0.0, "f90000");
        vector(-0.0, "f98000");
        vector(1.0, "f93c00");
        vector(1.1, "fb3ff199999999999a");
        vector(1.5, "f93e00");
        vector(65504.0, "f97bff");
        vector(100000.0, "fa47c35000");
        vector(3.4028234663852886e+38, "fa7f7fffff");
        vector(1.0e+300, "fb7e37e43c8800759c");
        vector(5.960464477539063e-8, "f90001");
        vector(0.00006103515625, "f90400");
        vector(-4.0, "f9c400");
        vector(-4.1, "fbc010666666666666");
        vector(Double.POSITIVE_INFINITY, "f97c00");
        vector(Double.NaN, "f97e00");
        vector(Double.NEGATIVE_INFINITY, "f9fc00");
        // NaN payloads all collapse to the one canonical NaN.
        assertEquals("f97e00", encodeValue(Double.longBitsToDouble(0x7ff0000000000001L)));
    }

    @Test
    void simpleValues() throws Exception {
        vector(false, "f4");
        vector(true, "f5");
        vector(null, "f6");
    }

    @Test
    void strings() throws Exception {
        vector("", "60");
        vector("a", "6161");
        vector("IETF", "6449455446");
        vector("\"\\", "62225c");
        vector("\u00fc", "62c3bc");
        vector("\u6c34", "63e6b0b4");
        vector("\ud800\udd51", "64f0908591");
        String longText = "x".repeat(70000);
        assertEquals("7a00011170" + "78".repeat(70000), encodeValue(longText));
        assertEquals(longText, decodeValue("7a00011170" + "78".repeat(70000)));
    }

    @Test
    void byteStrings() throws Exception {
        vector(Bytes.EMPTY, "40");
        vector(Bytes.fromHex("01020304"), "4401020304");
    }

    @Test
    void arraysAndMaps() throws Exception {
        vector(List.of(), "80");
        vector(List.of(1L, 2L, 3L), "83010203");
        vector(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)), "8301820203820405");
        List<Object> twentyFive = new ArrayList<>();
        for (long i = 1; i <= 25; i++) {
            twentyFive.add(i);
        }
        vector(twentyFive, "98190102030405060708090a0b0c0d0e0f101112131415161718181819");
        vector(Map.of(), "a0");
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1L);
        ab.put("b", List.of(2L, 3L));
        vector(ab, "a26161016162820203");
        vector(List.of("a", Map.of("b", "c")), "826161a161626163");
        Map<String, Object> ae = new TreeMap<>();
        for (String k : List.of("a", "b", "c", "d", "e")) {
            ae.put(k, k.toUpperCase());
        }
        vector(ae, "a56161614161626142616361436164614461656145");
    }
}
