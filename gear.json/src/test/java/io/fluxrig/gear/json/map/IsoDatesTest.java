package io.fluxrig.gear.json.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * IsoDates reads and writes the usual shapes by position; these tests hold it to what the JDK's
 * formatters give for the same values, and check that invalid values in those shapes are still
 * refused with the general parser's reasons.
 */
class IsoDatesTest {
    private static final DateTimeFormatter MMDDHHMMSS = DateTimeFormatter.ofPattern("MMddHHmmss");

    @Test
    void canonicalShapesAgreeWithTheJdkFormattersOverAYearOfRandomInstants() throws Exception {
        Random random = new Random(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5_000; i++) {
            Instant at = start.plusSeconds(random.nextInt(366 * 24 * 3600));
            OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
            String field7 = MMDDHHMMSS.format(t);
            String iso = DateTimeFormatter.ISO_INSTANT.format(at);
            assertEquals(iso, IsoDates.toIso8601(IsoDates.Form.MMDDhhmmss, field7, at));
            assertEquals(field7, IsoDates.fromIso8601(IsoDates.Form.MMDDhhmmss, iso));
            String hhmmss = field7.substring(4);
            String clock = t.toLocalTime().withNano(0).format(DateTimeFormatter.ofPattern("HH:mm:ss"));
            assertEquals(clock, IsoDates.toIso8601(IsoDates.Form.hhmmss, hhmmss, at));
            assertEquals(hhmmss, IsoDates.fromIso8601(IsoDates.Form.hhmmss, clock));
            String mmdd = field7.substring(0, 4);
            assertEquals(t.toLocalDate().toString(), IsoDates.toIso8601(IsoDates.Form.MMDD, mmdd, at));
            assertEquals(mmdd, IsoDates.fromIso8601(IsoDates.Form.MMDD, t.toLocalDate().toString()));
        }
    }

    @Test
    void otherShapesStillGoThroughTheGeneralParser() throws Exception {
        assertEquals("0314091530", IsoDates.fromIso8601(IsoDates.Form.MMDDhhmmss, "2026-03-14T10:15:30+01:00"));
        assertEquals("0314101530", IsoDates.fromIso8601(IsoDates.Form.MMDDhhmmss, " 2026-03-14T10:15:30.250Z "));
        assertEquals("101500", IsoDates.fromIso8601(IsoDates.Form.hhmmss, "10:15"));
        assertEquals("101530", IsoDates.fromIso8601(IsoDates.Form.hhmmss, "2026-03-14T10:15:30"));
        assertEquals("0314", IsoDates.fromIso8601(IsoDates.Form.MMDD, "2026-03-14T10:15:30Z"));
        assertEquals(LocalDateTime.of(2026, 3, 14, 10, 15, 30).toLocalDate().toString(),
                IsoDates.toIso8601(IsoDates.Form.MMDD, "0314", Instant.parse("2026-03-01T00:00:00Z")));
    }

    @Test
    void invalidValuesInTheCanonicalShapesAreRefusedWithTheirReason() {
        for (String bad : new String[] {"2026-02-30T10:15:30Z", "2026-13-01T10:15:30Z", "2026-03-14T24:00:00Z", "2026-03-14T10:60:00Z"}) {
            MapError e = assertThrows(MapError.class, () -> IsoDates.fromIso8601(IsoDates.Form.MMDDhhmmss, bad));
            assertTrue(e.getMessage().contains("not ISO 8601 for MMDDhhmmss: '" + bad + "'"), e.getMessage());
        }
        assertThrows(MapError.class, () -> IsoDates.fromIso8601(IsoDates.Form.hhmmss, "10:15:61"));
        assertThrows(MapError.class, () -> IsoDates.fromIso8601(IsoDates.Form.MMDD, "2026-02-29"));
        MapError e = assertThrows(MapError.class, () -> IsoDates.toIso8601(IsoDates.Form.hhmmss, "246000", Instant.EPOCH));
        assertTrue(e.getMessage().contains("not a valid hhmmss: '246000'"), e.getMessage());
        e = assertThrows(MapError.class, () -> IsoDates.toIso8601(IsoDates.Form.MMDDhhmmss, "03141015a0", Instant.EPOCH));
        assertTrue(e.getMessage().contains("10 digits expected"), e.getMessage());
    }
}
