package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensitiveDataTest {
    /** A Luhn-valid test PAN and a track 2 built on it. */
    private static final String PAN = "4761739001010010";
    private static final String SHOWN = "476173******0010";
    private static final String TRACK2 = PAN + "=25122011758928889";

    @Test
    void cardDataIsMaskedAtAnyDepthAndRawIsDropped() {
        FluxMsg m = FluxMsg.builder()
                .data("2", "4761739001010119")
                .data("35", "4761739001010119=25121011000012345678")
                .data("card", Map.of("pan", "5413330089600010", "cvv", "123", "scheme", "mc"))
                .data("items", List.of(Map.of("pin_block", Bytes.fromHex("0011223344556677"))))
                .data("amount", 1250L)
                .raw(new byte[] {1, 2, 3})
                .build();
        FluxMsg masked = SensitiveData.masked(m);
        assertEquals(m.id(), masked.id());
        assertEquals("476173******0119", masked.getString("2"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("35"));
        assertEquals("541333******0010", masked.getString("card.pan"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("card.cvv"));
        assertEquals("mc", masked.getString("card.scheme"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("items.0.pin_block"));
        assertEquals(1250L, masked.getLong("amount"));
        assertNull(masked.raw());
    }

    @Test
    void eachFieldKindHasItsForm() {
        assertEquals(SHOWN, SensitiveData.maskValue("2", PAN));
        assertEquals(SHOWN, SensitiveData.maskValue("pan", PAN));
        assertEquals(SHOWN, SensitiveData.maskValue("2", Long.parseLong(PAN)));
        for (String key : List.of("35", "36", "45", "track1", "track2", "TRACK3", "52", "pin_block", "cvv", "cvc2")) {
            assertEquals(SensitiveData.HIDDEN, SensitiveData.maskValue(key, TRACK2), key);
        }
        assertEquals(SensitiveData.HIDDEN, SensitiveData.maskValue("52", Bytes.fromHex("0102030405060708")));
        assertEquals("000000001000", SensitiveData.maskValue("4", "000000001000"));
    }

    @Test
    void emvTagsInsideField55AreMaskedByTag() {
        List<Map<String, Object>> emv = List.of(
                Map.of("tag", "5A", "value", Bytes.fromHex(PAN)),
                Map.of("tag", "57", "value", Bytes.fromHex("4761739001010010D25122011758928889")),
                Map.of("tag", "9F26", "value", Bytes.fromHex("0102")));
        FluxMsg m = FluxMsg.builder().data("55", emv).data("emv", emv).build();
        for (String key : List.of("55", "emv")) {
            FluxMsg masked = SensitiveData.masked(m);
            assertEquals("5A", masked.getString(key + ".0.tag"));
            assertEquals(SHOWN, masked.getString(key + ".0.value"));
            assertEquals(SensitiveData.HIDDEN, masked.getString(key + ".1.value"));
            assertEquals(Bytes.fromHex("0102"), masked.getBytes(key + ".2.value"));
        }
        assertEquals(SensitiveData.Kind.PAN, SensitiveData.ofEmvTag("5a"));
        assertEquals(SensitiveData.Kind.SECRET, SensitiveData.ofEmvTag("9F6B"));
        assertEquals(SensitiveData.Kind.NONE, SensitiveData.ofEmvTag("9F02"));
    }

    @Test
    void metaIsMaskedByKeyAndByShape() {
        FluxMsg m = FluxMsg.builder().data("x", 1L)
                .meta("card.pan", PAN)
                .meta("track2", TRACK2)
                .meta("error", "field 2 '" + PAN + "' refused")
                .meta("iso.mti", "0200")
                .build();
        FluxMsg masked = SensitiveData.masked(m);
        assertEquals(SHOWN, masked.meta("card.pan"));
        assertEquals(SensitiveData.HIDDEN, masked.meta("track2"));
        assertEquals("field 2 '" + SHOWN + "' refused", masked.meta("error"));
        assertEquals("0200", masked.meta("iso.mti"));
        assertEquals(Map.of("card.pan", SHOWN, "iso.mti", "0200"),
                SensitiveData.maskedMeta(Map.of("card.pan", PAN, "iso.mti", "0200")));
    }

    @Test
    void textUnderOtherKeysIsScannedForCardNumbers() {
        FluxMsg masked = SensitiveData.masked(FluxMsg.builder().data("note", "card " + PAN + " seen").build());
        assertEquals("card " + SHOWN + " seen", masked.getString("note"));
    }

    @Test
    void freeTextMasksLuhnValidRunsAndTrackData() {
        assertEquals("'" + SHOWN + "' is longer than 12 characters",
                SensitiveData.maskText("'" + PAN + "' is longer than 12 characters"));
        assertEquals("t2 " + SHOWN + "=**** end", SensitiveData.maskText("t2 " + TRACK2 + " end"));
        assertEquals(SHOWN + "D****", SensitiveData.maskText(PAN + "D25122011758928889"));
        assertEquals("13: 476173***0000 19: 476173*********0000",
                SensitiveData.maskText("13: 4761730000000 19: 4761730000000000000"));
        assertNull(SensitiveData.maskText(null));
    }

    @Test
    void nearMissesAreLeftAlone() {
        // 16 digits (amount 000000001000 + STAN tail 1234) failing Luhn: not a card number.
        String amountAndStan = "0000000010001234";
        assertFalse(luhnValid(amountAndStan));
        assertEquals("x " + amountAndStan + " y", SensitiveData.maskText("x " + amountAndStan + " y"));
        // Timestamp + STAN, 16 digits, failing Luhn.
        assertFalse(luhnValid("1205120553000124"));
        assertEquals("1205120553000124", SensitiveData.maskText("1205120553000124"));
        // The PAN with one digit changed fails Luhn.
        assertEquals("4761739001010011", SensitiveData.maskText("4761739001010011"));
        // Too short (12) and too long (20 digits, even when a Luhn-valid PAN is inside it).
        assertEquals("476173900101", SensitiveData.maskText("476173900101"));
        assertEquals("0" + PAN + "000", SensitiveData.maskText("0" + PAN + "000"));
        assertTrue(luhnValid(PAN));
    }

    @Test
    void shortNumbersAreHiddenWhole() {
        assertEquals(SensitiveData.HIDDEN, SensitiveData.maskPan("1234567890"));
        assertEquals("123456*8901", SensitiveData.maskPan("12345678901"));
        assertEquals(SensitiveData.Kind.PAN, SensitiveData.of("PAN"));
        assertEquals(SensitiveData.Kind.SECRET, SensitiveData.of("Track2"));
        assertEquals(SensitiveData.Kind.NONE, SensitiveData.of("stan"));
    }

    /** Luhn computed here, independently of the class under test. */
    private static boolean luhnValid(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
