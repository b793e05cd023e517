package io.fluxrig.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The card-data search finds planted values in clear and in their variants, names where, and passes masked forms. */
class CardDataScanTest {
    private static final String PAN = "4761739001010119";

    private static CardDataScan scan() {
        return new CardDataScan().pan("test PAN", PAN).track2("track 2", "5413330089010434D2512201123456789")
                .pinBlock("PIN block", "8A3F09C1D2E47B65").cvv("CVV", "737").secret("EMV 9F20", "9F20A1B2C3D4");
    }

    @Test
    void findsEachPlantedValueWithSourceLineAndColumn() {
        CardDataScan s = scan();
        s.scan("edge.log", "started\nrequest pan=" + PAN + " ok\n");
        s.scan("page", "<td>4761 7390 0101 0119</td>");
        s.scan("tail", "{\"35\":\"5413330089010434=2512201123456789\"}");
        s.scan("span", "pin_block=8a3f09c1d2e47b65");
        s.scan("dead letter", "{\"cvv2\": \"737\"}".getBytes(StandardCharsets.UTF_8));
        s.scan("emv", "tag 57 value 5413330089010434D2512201123456789F and 9F20A1B2C3D4");
        s.scan("raw hex", "bytes " + "34373631373339303031303130313139");
        List<CardDataScan.Hit> hits = s.hits();
        CardDataScan.Hit first = hits.get(0);
        assertEquals("edge.log", first.source());
        assertEquals(2, first.line());
        assertEquals(13, first.column(), first.toString());
        assertTrue(first.what().startsWith("test PAN (digits 1..11"), first.toString());
        for (String source : List.of("page", "tail", "span", "dead letter", "emv", "raw hex")) {
            assertTrue(hits.stream().anyMatch(h -> h.source().equals(source)), source + ": " + s.report());
        }
        assertTrue(hits.stream().anyMatch(h -> h.source().equals("tail") && h.what().equals("track 2 data after the separator")), s.report());
        assertTrue(hits.stream().anyMatch(h -> h.source().equals("emv") && h.what().equals("EMV 9F20")), s.report());
        assertTrue(s.report().contains("edge.log at line 2, column 13"), s.report());
    }

    @Test
    void passesWhatMayBeShownAndUnrelatedNumbers() {
        CardDataScan s = scan();
        s.scan("masked", "pan 476173******0119 track ****, pin ****, cvv ****, 541333******0434D**** at 2026-12-05T22:31:27Z");
        s.scan("neighbours", "4761739001; 010119; amount 000000012345; stan 000123; cid=7370; 737 alone");
        assertEquals(List.of(), s.hits(), s.report());
        assertEquals(List.of("masked", "neighbours"), s.sources());
    }

    @Test
    void refusesValuesItCouldNotSearchForSafely() {
        assertThrows(IllegalArgumentException.class, () -> new CardDataScan().pan("short", "476173900101"));
        assertThrows(IllegalArgumentException.class, () -> new CardDataScan().track2("no separator", PAN));
        assertThrows(IllegalArgumentException.class, () -> new CardDataScan().secret("tiny", "12345"));
    }
}
