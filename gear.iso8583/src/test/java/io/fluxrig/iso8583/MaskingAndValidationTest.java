package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.Bytes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Masking of sensitive values and validation on request. */
class MaskingAndValidationTest {
    private final MessageSpec spec = Dialects.builtIn(Dialects.ISO87ASCII);

    @Test
    void panShowsFirstSixAndLastFourOthersAreHidden() {
        assertEquals("411111******1111", Masking.display(spec.field(2), "4111111111111111", false));
        assertEquals("4111111111111111", Masking.display(spec.field(2), "4111111111111111", true));
        assertEquals("****", Masking.display(spec.field(2), "4111111111", false));
        assertEquals("****", Masking.display(spec.field(35), "4111111111111111=2512101", false));
        assertEquals("****", Masking.display(spec.field(52), Bytes.fromHex("0102030405060708"), false));
        assertEquals("0102030405060708", Masking.display(spec.field(52), Bytes.fromHex("0102030405060708"), true));
        assertEquals("000000001000", Masking.display(spec.field(4), "000000001000", false));
        assertEquals("ref 476173******0010", Masking.display(spec.field(48), "ref 4761739001010010", false));
        assertEquals("ref 4761739001010010", Masking.display(spec.field(48), "ref 4761739001010010", true));
        assertEquals("****", Masking.mask(Sensitivity.CVV, "123"));
    }

    @Test
    void emvPanAndTrackTagsAreMaskedOthersShown() {
        List<Map<String, Object>> tags = List.of(Map.of("tag", "5A", "value", Bytes.fromHex("4761739001010119")),
                Map.of("tag", "57", "value", Bytes.fromHex("4761739001010119D2212201")),
                Map.of("tag", "9F26", "value", Bytes.fromHex("0102")));
        assertEquals(List.of(Map.of("tag", "5A", "value", "476173******0119"), Map.of("tag", "57", "value", "****"),
                Map.of("tag", "9F26", "value", "0102")), Masking.display(spec.field(55), tags, false));
    }

    @Test
    void validationListsEveryProblemWithoutValues() {
        IsoMessage m = new IsoMessage("0200", Map.of(2, "4111111111111112", 3, "00A000", 28, "X00000001"));
        List<String> problems = IsoValidator.validate(spec, m, true);
        assertEquals(List.of("field 4: mandatory for 0200 but missing", "field 11: mandatory for 0200 but missing",
                "field 41: mandatory for 0200 but missing", "field 2: PAN fails the Luhn check", "field 3: n field holds a non-digit",
                "field 28: xn field is not C or D followed by digits"), problems);
        assertTrue(IsoValidator.validate(spec, new IsoMessage("0200", Map.of(2, "4111111111111111", 3, "000000", 4, "000000001000",
                11, "000001", 41, "TERM0001")), true).isEmpty());
        assertFalse(IsoValidator.validate(spec, m, false).contains("field 2: PAN fails the Luhn check"));
        assertTrue(IsoValidator.luhnValid("79927398713"));
        assertFalse(IsoValidator.luhnValid("79927398710"));
    }
}
