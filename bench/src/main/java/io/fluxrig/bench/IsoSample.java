package io.fluxrig.bench;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ISO 8583 message the codec benchmarks share: a typical iso87ascii 0100 authorisation request
 * with 25 fields, LLVAR (2, 32, 35) and LLLVAR (55, 60, 62, 63) among them, and a 195-byte DE 55
 * of EMV TLV as a chip terminal sends it. Built once as fluxrig values and encoded by fluxrig;
 * every codec under test is then given these same bytes (the benchmark checks at set-up that each
 * one reads and writes them back unchanged).
 */
final class IsoSample {
    /** The DE 55 tags: 22 primitive EMV tags, 195 bytes in all. */
    static final String DE55_HEX = "9F2608C1D2E3F4A5B6C7D8" + "9F270180"
            + "9F1020" + "0110A00003220000000000000000000000FF0000000000000000000000000000"
            + "9F370412345678" + "9F3602004C" + "95050000008000" + "9A03261127" + "9C0100"
            + "9F0206000000012550" + "9F0306000000000000" + "5F2A020978" + "82021980" + "9F1A020250"
            + "9F3303E0F8C8" + "9F3403420300" + "9F350122" + "9F1E083132333435363738"
            + "8407A0000000031010" + "9F09020096" + "9F410400001234" + "5F340101"
            + "9F6E14" + "0250000030300000000000000000000000000000" + "9F4C080102030405060708";

    private IsoSample() {
    }

    /** @return the 0100's fields as fluxrig values (DE 55 as hex text, which encode accepts) */
    static IsoMessage message() {
        Map<Integer, Object> f = new TreeMap<>();
        f.put(2, "4761739001010119");
        f.put(3, "000000");
        f.put(4, "000000012550");
        f.put(7, "1127031205");
        f.put(11, "004217");
        f.put(12, "031205");
        f.put(13, "1127");
        f.put(14, "2912");
        f.put(18, "5411");
        f.put(22, "051");
        f.put(23, "001");
        f.put(25, "00");
        f.put(32, "12345678901");
        f.put(35, "4761739001010119=29122011143804400000");
        f.put(37, "633112004217");
        f.put(41, "TERM0042");
        f.put(42, "MERCHANT0000042");
        f.put(43, "FLUXRIG COFFEE SHOP     BERLIN       DE");
        f.put(49, "978");
        f.put(52, "0123456789ABCDEF");
        f.put(53, "2001010100000000");
        f.put(55, DE55_HEX);
        f.put(60, "POS:ATTENDED;CHIP;PIN");
        f.put(62, "ADDL-DATA-0042");
        f.put(63, "NETWORK-REF-00000042");
        return new IsoMessage("0100", f);
    }

    /** @return the sample's iso87ascii bytes */
    static byte[] bytes() {
        try {
            return IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII)).encode(message());
        } catch (IsoException e) {
            throw new IllegalStateException("the benchmark sample does not encode: " + e.getMessage(), e);
        }
    }
}
